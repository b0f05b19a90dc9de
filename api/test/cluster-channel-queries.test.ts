// The cluster's LISTEN connection (PgChannels) keeps at most one ping out: its notifications go one after another and
// a ping is not sent again while one is out. Before, a ping was sent every pingMs whatever was running, so while the
// connection was slow (a loaded database, a stalled peer) the pings piled up inside the pg client, one per pingMs,
// each to be sent when the connection answered again; pg warns of such overlapping queries ("Calling client.query()
// when the client is already executing a query", seen in jest output).
import net from 'node:net';
import { PgChannels } from '../src/cluster/pg-channels';
import { SERVER_URL } from './harness/databases';
import { waitFor } from './harness/pipeline';

// A TCP proxy to PostgreSQL that counts the client's simple queries ('Q' messages) and can hold the server's answers
function startHoldingProxy(): Promise<{
  port: number;
  queries(): number;
  hold(): void;
  release(): void;
  close(): Promise<void>;
}> {
  const server = new URL(SERVER_URL);
  let queries = 0;
  let held: Array<() => void> | null = null;
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const upstream = net.connect(Number(server.port || 5432), server.hostname);
    sockets.add(client).add(upstream);
    // The client's messages: the startup message has no type byte, every later one is type + length
    let pending = Buffer.alloc(0);
    let started = false;
    client.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const at = started ? 1 : 0;
        if (pending.length < at + 4) break;
        const size = at + pending.readInt32BE(at);
        if (pending.length < size) break;
        if (started && pending[0] === 0x51) queries += 1;
        started = true;
        pending = pending.subarray(size);
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (held) held.push(() => client.write(chunk));
      else client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  return new Promise((resolve) =>
    proxy.listen(0, '127.0.0.1', () =>
      resolve({
        port: (proxy.address() as net.AddressInfo).port,
        queries: () => queries,
        hold: () => {
          held = [];
        },
        release: () => {
          const writes = held ?? [];
          held = null;
          writes.forEach((write) => write());
        },
        close: () =>
          new Promise<void>((done) => {
            sockets.forEach((s) => s.destroy());
            proxy.close(() => done());
          }),
      }),
    ),
  );
}

describe('the cluster LISTEN connection', () => {
  it('should keep at most one ping out, pings never piling up behind a slow statement', async () => {
    const proxy = await startHoldingProxy();
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    const url = new URL(SERVER_URL);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    const channels = new PgChannels(url.toString(), { pingMs: 10 });
    try {
      await channels.start();
      await waitFor(async () => channels.healthy(), 5000, 'its first ping back');

      // The connection answers nothing for 30 ping periods, while two notifications are sent
      proxy.hold();
      const before = proxy.queries();
      const sends = [channels.notify('test_channel', ['a']), channels.notify('test_channel', ['b'])];
      await new Promise((resolve) => setTimeout(resolve, 300));
      proxy.release();
      await Promise.all(sends);
      await waitFor(async () => channels.healthy(), 5000, 'a ping back after the hold');

      // The statement in flight when the answers stopped, the two notifications, a ping or two after them: not one
      // ping per period of the hold (about 30 before)
      expect(proxy.queries() - before).toBeLessThanOrEqual(6);
      expect(warnings.filter((w) => w.includes('already executing a query'))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      proxy.release();
      await channels.close();
      await proxy.close();
    }
  });
});
