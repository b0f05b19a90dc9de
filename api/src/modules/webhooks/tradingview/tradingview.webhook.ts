import type { AlertIntakeService, IntakeResult, TargetIntake } from '../../alerts/alert-intake.service';
import type { AlertSource } from '../../alerts/alert-insert.sql';
import type { StrategySnapshot } from '../../strategies/strategy-snapshot';
import { acceptedFor, type ExecutorService } from '../../executions/placement/executor.service';
import { logger } from '../../../shared/logger';
import { extractSecret, parseJsonBody, parseSignal } from './tradingview.payload';
import type { UnauthorizedBudget } from './unauthorized-budget';
import { attachExits, isPriceAlert, readPriceAlert, tickerOf } from '../../exits/alert-exits';

export type WebhookReply = { status: number; body: unknown };

const UNAUTHORIZED: WebhookReply = { status: 401, body: { error: 'unauthorized' } };
const RATE_LIMITED: WebhookReply = { status: 429, body: { error: 'rate_limited' } };

// What POST /api/webhook/tradingview answers for a body, whatever carried it (see tradingview.http.ts).
// TradingView waits 3 s and resends after a 5xx, so: answer in milliseconds, and never 5xx for a stored alert.
// `accepted` runs after the answer is sent: the order starts in-process at once, never on a job poll.
export async function receiveTradingViewAlert(
  intake: AlertIntakeService,
  executor: ExecutorService,
  raw: string,
  ip: string,
  unauthorized: UnauthorizedBudget,
): Promise<WebhookReply & { accepted?: () => void }> {
  const json = parseJsonBody(raw);
  if (!json.ok) return { status: 400, body: { error: 'invalid_payload', details: json.details } };
  const secret = extractSecret(json.body);
  if (secret && !intake.knowsSecret(secret) && (await unauthorized.spent(ip))) return RATE_LIMITED;
  const strategy = secret ? await intake.findStrategy(secret) : null;
  if (!strategy || !secret) {
    await unauthorized.recordFailure(ip);
    return UNAUTHORIZED;
  }
  return receiveStrategyAlert(intake, executor, strategy, json.body, secret, raw, ip);
}

// Past the secret, a webhook alert and a dashboard test alert (sendTestAlert, which has no secret to present)
// take the same way: the strategy's backlog and rate limit, the payload rules, the intake's checks and the same
// answers.
export async function receiveStrategyAlert(
  intake: AlertIntakeService,
  executor: ExecutorService,
  strategy: StrategySnapshot,
  body: Record<string, unknown>,
  secret: string,
  raw: string,
  ip: string,
  source: AlertSource = 'alert',
): Promise<WebhookReply & { accepted?: () => void }> {
  // Its accepted alerts wait faster than they execute: refused for now, before the backlog grows without limit
  if (executor.isBacklogged(strategy.id)) return { status: 429, body: { error: 'backlog' } };
  if (!(await intake.withinRateLimit(strategy))) return RATE_LIMITED;
  if (isPriceAlert(body)) return receivePriceAlert(intake, strategy, body, secret, raw, ip, source);
  const parsed = parseSignal(body, secret, strategy.exchangeSegment);
  if (!parsed.ok)
    return { status: 400, body: { error: 'invalid_payload', details: 'details' in parsed ? parsed.details : [] } };
  const withExits = attachExits(strategy, parsed.signal, body);
  if (!withExits.ok) return { status: 400, body: { error: 'invalid_payload', details: withExits.details } };
  const signal = withExits.signal;
  // The alert's price is judged by the exit plans first: a stop crossed at this price exits before this alert's order.
  // A test alert's price was typed in the dashboard, not seen in the market: it moves no plan.
  const ticker = tickerOf(strategy, signal);
  if (source === 'alert' && signal.price && ticker)
    await intake.observePrice(strategy, ticker, signal.price, signal.firedAt);
  const result = await intake.accept(strategy, signal, raw, ip, source);
  const reply = answerFor(executor, strategy, result);
  // One strategy, many accounts: TradingView's alerts (not test alerts) go to every fan-out target as well
  if (source !== 'alert' || result.kind === 'invalid') return reply;
  const targets = await intake.acceptTargets(strategy, signal, raw, ip);
  return targets.length ? withTargets(executor, reply, targets) : reply;
}

function answerFor(
  executor: ExecutorService,
  strategy: StrategySnapshot,
  result: IntakeResult,
): WebhookReply & { accepted?: () => void } {
  switch (result.kind) {
    case 'accepted':
      return {
        status: 202,
        body: { status: 'accepted', alert_id: result.alertId, correlation_id: result.correlationId },
        accepted: () => {
          logger.info('alert accepted', {
            strategyId: strategy.id,
            alertId: result.alertId,
            awaitingApproval: result.awaitingApproval,
          });
          // An execution awaiting approval is placed by approveExecution, not here
          if (!result.awaitingApproval) executor.start(acceptedFor(strategy, result));
        },
      };
    case 'duplicate':
      return { status: 200, body: { status: 'duplicate', alert_id: result.alertId } };
    case 'rejected':
      logger.info('alert rejected', { strategyId: strategy.id, alertId: result.alertId, reason: result.reason });
      return {
        status: 422,
        body: { status: 'rejected', reason: result.reason, alert_id: result.alertId, message: result.message },
      };
    case 'invalid':
      return { status: 400, body: { error: 'invalid_payload', details: result.details } };
  }
}

// side "PRICE": a price for the exit plans (where the broker has no market data), recorded and never ordered
async function receivePriceAlert(
  intake: AlertIntakeService,
  strategy: StrategySnapshot,
  body: Record<string, unknown>,
  secret: string,
  raw: string,
  ip: string,
  source: AlertSource,
): Promise<WebhookReply> {
  const read = readPriceAlert(body);
  if (!read.ok) return { status: 400, body: { error: 'invalid_payload', details: read.details } };
  // A price of a symbol the strategy does not trade would move the wrong plans: refused as an order alert would be
  const ticker = tickerOf(strategy, read.alert);
  if (!ticker)
    return {
      status: 422,
      body: { status: 'rejected', reason: 'symbol_mismatch', message: `this strategy trades ${strategy.symbol}` },
    };
  const recorded = await intake.recordPrice(strategy, read.alert, raw, secret, ip);
  if (!recorded.inserted) return { status: 200, body: { status: 'duplicate', alert_id: recorded.alertId } };
  // As for an order alert: only TradingView's prices move the plans
  if (source === 'alert') await intake.observePrice(strategy, ticker, read.alert.price, read.alert.firedAt);
  return { status: 202, body: { status: 'accepted', alert_id: recorded.alertId } };
}

// The answer keeps its contract (alert_id is the strategy's own alert) and lists what each target did; the
// targets' orders start with the strategy's, after the answer is sent.
function withTargets(
  executor: ExecutorService,
  reply: WebhookReply & { accepted?: () => void },
  targets: TargetIntake[],
): WebhookReply & { accepted?: () => void } {
  const body = {
    ...(reply.body as Record<string, unknown>),
    targets: targets.map(({ strategy, result }) => ({
      strategy_id: strategy.id,
      status: result.kind,
      ...('alertId' in result && { alert_id: result.alertId }),
      ...(result.kind === 'accepted' && { execution_id: result.executionId }),
      ...(result.kind === 'rejected' && { reason: result.reason, message: result.message }),
    })),
  };
  const starts = targets.map(({ strategy, result }) =>
    result.kind === 'accepted' ? answerFor(executor, strategy, result).accepted : undefined,
  );
  return {
    ...reply,
    body,
    accepted: () => {
      reply.accepted?.();
      for (const start of starts) start?.();
    },
  };
}
