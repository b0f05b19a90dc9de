import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { registry } from './metrics';

export const METRICS_PATH = '/metrics';

export type MetricsAccess = { token?: string };

// Compared as hashes, so neither the length nor the content of the token leaks through timing
function tokenMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? '';
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(presented), digest(token));
}

// GET /metrics in Prometheus text format; with a token, only for `Authorization: Bearer <token>`
export function metricsHandler(access: MetricsAccess) {
  return (req: http.IncomingMessage, res: http.ServerResponse): void => {
    if (access.token && !tokenMatches(req.headers.authorization, access.token)) {
      res.writeHead(401, { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer' });
      res.end(JSON.stringify({ error: 'unauthorized' }));
      return;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(text);
      },
      () => {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ error: 'internal_error' }));
      },
    );
  };
}

// METRICS_PORT: /metrics on a port of its own (e.g. reachable only inside the compose network)
export async function startMetricsServer(
  port: number,
  host: string,
  access: MetricsAccess,
): Promise<{ port: number; close(): Promise<void> }> {
  const handle = metricsHandler(access);
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && (req.url ?? '').split('?')[0] === METRICS_PATH) return handle(req, res);
    res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ error: 'not_found' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
