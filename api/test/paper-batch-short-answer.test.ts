// A paper backlog's batch placement (placeOrders) that answers fewer orders than it was sent: the orders it left out
// of its answer may still be placed, so the answer is an unknown outcome. Each order of the batch is then attempted on
// its own in its first attempt, looked up at the venue first (found there, not placed again). Without that guard the
// order missing from the answer failed its attempt (nothing to adopt) and was placed or looked up by a retry.
// The venue is a plugin by path (fixtures/paper-short-answer.js) wrapping the paper venue; the paper venue is the one
// built-in plugin, so it runs in a copy of the built api whose package.json lists it as built in.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ApiProcess, freePort, spawnApi } from './harness/api-process';
import { adminQuery, databaseUrl, dropDatabase, TEMPLATE_ENV } from './harness/databases';
import { paperBacklog } from './harness/paper-backlog';
import { waitFor } from './harness/pipeline';
import { testApiEnv } from './harness/test-api';

const ALERTS = 10;
const API = path.resolve(__dirname, '..');

// api/dist copied beside a package.json whose built-in plugin is `plugin`; modules resolve from the repository's
function apiBuildWithBuiltIn(plugin: string): { main: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'algodatta-api-'));
  fs.cpSync(path.join(API, 'dist'), path.join(dir, 'dist'), { recursive: true });
  const pkg = JSON.parse(fs.readFileSync(path.join(API, 'package.json'), 'utf8'));
  const { builtIn, default: defaults } = pkg.algodatta.brokerPlugins as { builtIn: string[]; default: string[] };
  pkg.algodatta.brokerPlugins = { builtIn: [plugin], default: defaults.filter((p) => !builtIn.includes(p)) };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
  fs.symlinkSync(path.resolve(API, '../node_modules'), path.join(dir, 'node_modules'), 'dir');
  return { main: path.join(dir, 'dist/main.js'), dir };
}

describe('a paper batch answered one order short', () => {
  let build: { main: string; dir: string };
  let dbName: string;
  let api: ApiProcess;
  let db: Client;
  beforeAll(async () => {
    build = apiBuildWithBuiltIn(path.resolve(__dirname, 'fixtures/paper-short-answer.js'));
    dbName = `algodatta_test_${randomBytes(6).toString('hex')}`;
    await adminQuery(`create database "${dbName}" template "${process.env[TEMPLATE_ENV]}"`);
    api = await spawnApi(testApiEnv(dbName), await freePort(), 90_000, false, build.main);
    db = new Client({ connectionString: databaseUrl(dbName) });
    await db.connect();
  }, 120_000);
  afterAll(async () => {
    await db?.end();
    await api?.stop();
    if (dbName) await dropDatabase(dbName);
    if (build) fs.rmSync(build.dir, { recursive: true, force: true });
  });

  it('should place every order once, each in its first attempt', async () => {
    const backlog = await paperBacklog({ url: api.url, port: Number(new URL(api.url).port) }, db, {
      email: 'batch-short-answer@example.com',
      symbol: 'RELIANCE',
      price: 2500,
    });
    try {
      await backlog.fillFirst('BUY');
      // sell, buy, sell, ...: each reverses the position, 2 units
      const alertIds = await backlog.queueBehindTurn(
        Array.from({ length: ALERTS }, (_, i): 'BUY' | 'SELL' => (i % 2 ? 'BUY' : 'SELL')),
      );
      await backlog.release();
      await waitFor(async () => backlog.filled().length >= ALERTS + 1, 30_000, 'every ORDER_FILLED');
      // Each placed once and recorded as placed (the venue's order id), in its first attempt
      const { rows } = await db.query<{
        side: string;
        qty: string;
        status: string;
        attempts: number;
        fills: number;
        placed: boolean;
      }>(
        `select e.side, e.qty, e.status, e.attempts, e.broker_order_id is not null as placed,
           (select count(*)::int from fills f where f.execution_id = e.id) as fills
         from executions e where e.alert_id = any($1) order by e.created_at, e.id`,
        [alertIds],
      );
      expect(rows.map((r) => [r.side, Number(r.qty), r.status, r.attempts, r.fills, r.placed])).toEqual(
        alertIds.map((_, i) => [i % 2 ? 'BUY' : 'SELL', 2, 'FILLED', 1, 1, true]),
      );
      const { rows: venue } = await db.query(
        `select (select sum(net_quantity) from paper_positions where symbol = 'RELIANCE') as qty,
           (select count(*)::int from paper_orders where symbol = 'RELIANCE') as orders`,
      );
      expect({ qty: Number(venue[0].qty), orders: venue[0].orders }).toEqual({ qty: 1, orders: ALERTS + 1 });
      // A batch's answer was short, and taken for an unknown outcome (the batch's orders attempted one at a time)
      expect(api.output()).toContain('a batch placement failed');
      expect(api.output()).not.toContain('unexpected error while executing');
    } finally {
      await backlog.dispose();
    }
  }, 90_000);
});
