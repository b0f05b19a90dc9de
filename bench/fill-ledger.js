#!/usr/bin/env node
// The api's fill path alone (OrderUpdatesService.applyFill: fill row, position ledger, round trip, execution,
// events), on a throwaway database, without HTTP, the executor or a broker: what one fill costs, and what a fill
// that closes a round trip costs on top. Phases, each on 8 positions in parallel, fills of one position one after
// another (as in the api), FILLS_PER_PHASE fills each:
//   adds       every fill adds to the position (no trip closes)
//   reversals  every fill reverses the position (every fill closes a trip and opens the next)
// A/B against another build: BENCH_API_DIST=/path/to/other/api/dist node bench/fill-ledger.js
//   npx tsc -b api && node bench/fill-ledger.js          (BENCH_FILLS_PER_PHASE, default 4000; BENCH_FILL_ROUNDS, default 2)
'use strict';

const path = require('node:path');
const { Client } = require('pg');
const { createDatabase, dropDatabase } = require('./lib/pg-admin');
const { summarize, ms } = require('./lib/stats');
const { machineLine } = require('./lib/machine');
const { withBudget } = require('./lib/budget');

const DIST = path.resolve(process.env.BENCH_API_DIST || path.join(__dirname, '..', 'api', 'dist'));
const FILLS = Number(process.env.BENCH_FILLS_PER_PHASE || 4000);
const ROUNDS = Number(process.env.BENCH_FILL_ROUNDS || 2);
const POSITIONS = 8;

async function setup(url) {
  const { migrate } = require(path.join(DIST, 'db', 'migrate'));
  await migrate(url);
  const c = new Client({ connectionString: url });
  await c.connect();
  // Executions to fill, written directly (no alerts: foreign-key triggers off for the set-up)
  await c.query('set session_replication_role = replica');
  const user = (await c.query(`insert into users (id, email, password_hash) values (gen_random_uuid(), 'fills@bench.local', 'x') returning id`)).rows[0].id;
  const strategies = (await c.query(`insert into strategies (id, user_id, name, symbol, timeframe, qty)
    select gen_random_uuid(), $1, 'Fills ' || s, 'SYM' || s, '5', 1 from generate_series(1, $2::int) s returning id, symbol`, [user, POSITIONS])).rows;
  const total = FILLS * 2 * ROUNDS;
  const executions = (await c.query(`insert into executions (id, strategy_id, user_id, alert_id, correlation_id, client_order_id, symbol, exchange_segment,
      side, product_type, qty, mode, broker, status)
    select gen_random_uuid(), s.id, $1, gen_random_uuid(), gen_random_uuid(), 'bf' || g || '-' || s.symbol, s.symbol, 'NSE_EQ', 'BUY', 'INTRADAY', 1, 'PAPER', 'paper', 'PLACED'
    from jsonb_to_recordset($2::jsonb) as s(id uuid, symbol text) cross join generate_series(1, $3::int) g
    returning client_order_id, strategy_id, symbol`, [user, JSON.stringify(strategies), Math.ceil(total / POSITIONS)])).rows;
  await c.end();
  const byStrategy = new Map(strategies.map((s) => [s.id, []]));
  for (const e of executions) byStrategy.get(e.strategy_id).push(e);
  return [...byStrategy.values()];
}

// `next(position)` gives the side and quantity of a position's next fill; positions start flat
async function phase(service, queues, positions, label, next) {
  const latencies = [];
  const t0 = process.hrtime.bigint();
  await Promise.all(queues.map(async (queue, q) => {
    for (let i = 0; i < FILLS / POSITIONS; i++) {
      const e = queue.shift();
      const { side, qty } = next(positions[q]);
      positions[q] += side === 'BUY' ? qty : -qty;
      service.expectFills(e.client_order_id, { strategyId: e.strategy_id, symbol: e.symbol, mode: 'PAPER' });
      const s0 = process.hrtime.bigint();
      await service.applyFill({
        tradeId: `T-${e.client_order_id}`, clientOrderId: e.client_order_id, brokerOrderId: `B-${e.client_order_id}`, broker: 'paper', accountId: 'bench',
        instrument: { symbol: e.symbol, exchangeSegment: 'NSE_EQ' }, side, product: 'INTRADAY', quantity: String(qty),
        price: (1000 + (i % 7)).toFixed(2), fee: { total: '1.23', breakdown: {} }, ts: Date.now(), raw: {},
      });
      latencies.push(Number(process.hrtime.bigint() - s0) / 1e6);
    }
  }));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const l = summarize(latencies);
  console.log(`  ${label}: ${Math.round(latencies.length / seconds)} fills/s, applyFill p50 ${ms(l.p50)} p99 ${ms(l.p99)}`);
}

async function main() {
  console.log(`fill ledger: ${await machineLine()}`);
  console.log(`api build: ${DIST}`);
  const db = await createDatabase('bench_fills');
  try {
    const queues = await setup(db.url);
    const { createSqlPool } = require(path.join(DIST, 'db', 'sql'));
    const { OrderUpdatesService } = require(path.join(DIST, 'modules', 'executions', 'order-updates.service'));
    const sql = createSqlPool(db.url, 10);
    const service = new OrderUpdatesService(sql, { publish() {} }, { check: async () => false });
    const positions = queues.map(() => 0);
    for (let round = 1; round <= ROUNDS; round++) {
      console.log(`round ${round}:`);
      await phase(service, queues, positions, 'adds (no trip closes)', (p) => ({ side: p >= 0 ? 'BUY' : 'SELL', qty: 1 }));
      // Long p: SELL 2p leaves short p; short: BUY 2p
      await phase(service, queues, positions, 'reversals (a trip closes on every fill)', (p) => ({ side: p > 0 ? 'SELL' : 'BUY', qty: 2 * Math.abs(p) }));
    }
    const c = new Client({ connectionString: db.url });
    await c.connect();
    const trips = await c.query(`select count(*)::int as n from information_schema.tables where table_name = 'round_trips'`);
    if (trips.rows[0].n) console.log(`round trips written: ${(await c.query('select count(*)::int as n from round_trips')).rows[0].n}`);
    await c.end();
    await sql.end();
  } finally {
    await dropDatabase(db.name);
  }
}

withBudget('fill-ledger', 140_000, main);
