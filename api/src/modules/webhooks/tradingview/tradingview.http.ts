import type { IncomingMessage, ServerResponse } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import type { AlertIntakeService } from '../../alerts/alert-intake.service';
import type { ExecutorService } from '../../executions/placement/executor.service';
import { clientAddress, PEER_GONE, TrustProxy } from '../../../shared/client-address';
import { logger } from '../../../shared/logger';
import { metrics } from '../../../metrics/metrics';
import { runWithContext } from '../../../shared/request-context';
import { correlationIdFor } from '../../../rest/correlation.middleware';
import { receiveTradingViewAlert, WebhookReply } from './tradingview.webhook';
import { UnauthorizedBudget } from './unauthorized-budget';
import type { LimiterFactory } from '../../../cluster/shared-limiters';

// Matched as Express would: any case, an optional trailing slash, any query string
export const WEBHOOK_PATH = /^\/api\/webhook\/tradingview\/?(?:\?|$)/i;
export const WEBHOOK_BODY_LIMIT = 64 * 1024;

export type WebhookHttpOptions = {
  allowlist: string[];
  trust: TrustProxy;
  unauthorizedPerMinute: number;
  limiters?: LimiterFactory;
};

// When each request arrived, for the alert->ack histogram
const arrivals = new WeakMap<ServerResponse, number>();

// The webhook on plain node:http, ahead of Express: it is the one endpoint hit hundreds of times a second, and
// it needs none of Express's routing or body parsing. Any content type is read as text (TradingView sends
// application/json or text/plain); the body is capped at 64 KiB (413).
export function tradingViewWebhookHandler(
  intake: AlertIntakeService,
  executor: ExecutorService,
  options: WebhookHttpOptions,
) {
  const unauthorized = new UnauthorizedBudget(options.unauthorizedPerMinute, options.limiters);
  return (req: IncomingMessage, res: ServerResponse): void => {
    arrivals.set(res, performance.now());
    const correlationId = correlationIdFor(req.headers['x-correlation-id']);
    res.setHeader('x-correlation-id', correlationId);
    runWithContext({ correlationId }, () => {
      const ip = clientAddress(req, options.trust);
      // The caller reset the connection: nobody is left to answer, and an alert nobody hears the answer to is
      // not taken (a caller that cares sends it again, under its idempotency key)
      if (ip === PEER_GONE) return void res.destroy();
      if (options.allowlist.length && !options.allowlist.includes(ip))
        return drainAndSend(req, res, { status: 401, body: { error: 'unauthorized' } });
      const encoding = req.headers['content-encoding'];
      if (encoding && encoding !== 'identity') {
        return drainAndSend(req, res, {
          status: 415,
          body: {
            error: 'invalid_payload',
            details: [{ path: '', message: `content-encoding ${encoding} is not supported` }],
          },
        });
      }
      if (Number(req.headers['content-length'] ?? 0) > WEBHOOK_BODY_LIMIT) return tooLarge(req, res);
      const decoder = new StringDecoder('utf8');
      let raw = '';
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > WEBHOOK_BODY_LIMIT) return tooLarge(req, res);
        raw += decoder.write(chunk);
      });
      req.on('end', () => {
        if (res.headersSent) return;
        receiveTradingViewAlert(intake, executor, raw + decoder.end(), ip, unauthorized)
          .then((reply) => {
            send(res, reply);
            reply.accepted?.();
          })
          .catch((error: unknown) => {
            logger.error('webhook failed', { error });
            send(res, { status: 500, body: { error: 'internal_error' } });
          });
      });
      req.on('error', () => res.destroy());
    });
  };
}

function send(res: ServerResponse, reply: WebhookReply): void {
  if (res.headersSent) return;
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
  const answer = reply.body as { status?: string; error?: string; reason?: string };
  metrics.alertAnswered(
    answer.status ?? answer.error ?? String(reply.status),
    answer.reason ?? '',
    (performance.now() - (arrivals.get(res) ?? performance.now())) / 1000,
  );
}

// The rest of an oversized body is not read: answer, and close the connection after the answer
function tooLarge(req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent) return;
  req.pause();
  res.setHeader('connection', 'close');
  send(res, { status: 413, body: { error: 'payload_too_large' } });
}

function drainAndSend(req: IncomingMessage, res: ServerResponse, reply: WebhookReply): void {
  req.resume();
  send(res, reply);
}
