import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDhanSimulator } from './sim-server';
import type { DhanSimulator, DhanSimulatorOptions } from './sim-server';

export type DhanSimAccount = { clientId: string; accessToken: string };

export type DhanSimulators = {
  url: string; // REST base shared by every account, e.g. http://127.0.0.1:9100/v2
  authUrl: string;
  port: number;
  // Each client id's own simulator: its own book, orders, positions, funds, token and recorded requests
  accounts: Record<string, DhanSimulator>;
  setPostbackUrl(url: string | undefined): void;
  close(): Promise<void>;
};

// Several DhanHQ client ids behind one host (as at DhanHQ: one API host, each call names its client): a front
// server hands each REST call to the simulator of the client id it names (header client-id, or dhanClientId on
// RenewToken), else of the access token it carries. Each account is a full simulator of its own, so its order
// ids, fills, postbacks (with its own dhanClientId) and token expiry are its own. Order-update and market-feed
// WebSockets are not fronted: connect to an account's own simulator (accounts[clientId].wsUrl) for those.
export async function startDhanSimulators(
  accounts: DhanSimAccount[],
  opts: Omit<DhanSimulatorOptions, 'clientId' | 'accessToken' | 'port'> & { port?: number } = {},
): Promise<DhanSimulators> {
  if (!accounts.length) throw new Error('startDhanSimulators needs at least one account');
  const sims: Record<string, DhanSimulator> = {};
  try {
    for (const a of accounts)
      sims[a.clientId] = await startDhanSimulator({
        ...opts,
        port: 0,
        clientId: a.clientId,
        accessToken: a.accessToken,
      });
  } catch (error) {
    await Promise.all(Object.values(sims).map((s) => s.close()));
    throw error;
  }
  const first = sims[accounts[0].clientId];
  const pick = (req: http.IncomingMessage): DhanSimulator => {
    const id = req.headers['client-id'] ?? req.headers.dhanclientid;
    if (typeof id === 'string' && sims[id]) return sims[id];
    const token = req.headers['access-token'];
    const byToken = accounts.find((a) => a.accessToken === token);
    if (byToken) return sims[byToken.clientId];
    const query = new URL(req.url ?? '/', 'http://sim').searchParams.get('dhanClientId');
    return (query && sims[query]) || first;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const sim = pick(req);
      const upstream = http.request(
        { host: '127.0.0.1', port: sim.port, method: req.method, path: req.url, headers: req.headers },
        (reply) => {
          res.writeHead(reply.statusCode ?? 502, reply.headers);
          reply.pipe(res);
        },
      );
      upstream.on('error', (e) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: String(e) }));
      });
      upstream.end(Buffer.concat(chunks));
    });
  });
  // Idle connections kept 65 s (Node's default 5 s): a client reusing one at the edge of 5 s, its own timers
  // running late on a loaded machine, had its request reset (wire-format, a loaded full run)
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const host = opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1';
  return {
    url: `http://${host}:${port}/v2`,
    authUrl: `http://${host}:${port}`,
    port,
    accounts: sims,
    setPostbackUrl: (u) => {
      for (const s of Object.values(sims)) s.setPostbackUrl(u);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await Promise.all(Object.values(sims).map((s) => s.close()));
    },
  };
}
