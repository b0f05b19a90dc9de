#!/usr/bin/env node
// The api's fill path alone (OrderUpdatesService.applyFill: fill row, position ledger, round trip, execution,
// events), on throwaway databases, without HTTP, the executor or a broker. Two kinds of phase, each on 8 positions
// in parallel, fills of one position one after another (as in the api), BENCH_FILLS_PER_PHASE fills each:
//   adds       every fill adds to the position (no trip closes)
//   reversals  every fill reverses the position (every fill closes a round trip and opens the next)
// A/B: BENCH_API_DISTS="/path/a/api/dist,/path/b/api/dist" loads several builds into this process (each on its own
// database) and interleaves their phases round by round, so a change of machine speed hits both alike.
//   npx tsc -b api && node bench/fill-ledger.js      (BENCH_FILLS_PER_PHASE, default 2000; BENCH_FILL_ROUNDS, default 5)
'use strict';

const path = require('node:path');
const { Client } = require('pg');
const { createDatabase, dropDatabase } = require('./lib/pg-admin');
const { summarize, ms } = require('./lib/stats');
const { machineLine } = require('./lib/machine');
const { withBudget } = require('./lib/budget');

const DISTS = (process.env.BENCH_API_DISTS || path.join(__dirname, '..', 'api', 'dist'))
  .split(',')
  .map((d) => path.resolve(d));
const FILLS = Number(process.env.BENCH_FILLS_PER_PHASE || 2000);
const ROUNDS = Number(process.env.BENCH_FILL_ROUNDS || 5);
const POSITIONS = 8;

// A build's service over a fresh database migrated by that build, with the executions its fills will fill
async function setup(dist) {
  const db = await createDatabase('bench_fills');
  await require(path.join(dist, 'db', 'migrate')).migrate(db.url);
  const c = new Client({ connectionString: db.url });
  await c.connect();
  // Executions written directly (no alerts: foreign-key triggers off for the set-up)
  await c.query('set session_replication_role = replica');
  const user = (
    await c.query(
      `insert into users (id, email, password_hash) values (gen_random_uuid(), 'fills@bench.local', 'x') returning id`,
    )
  ).rows[0].id;
  const strategies = (
    await c.query(
      `insert into strategies (id, user_id, name, symbol, timeframe, qty)
    select gen_random_uuid(), $1, 'Fills ' || s, 'SYM' || s, '5', 1 from generate_series(1, $2::int) s returning id, symbol`,
      [user, POSITIONS],
    )
  ).rows;
  const executions = (
    await c.query(
      `insert into executions (id, strategy_id, user_id, alert_id, correlation_id, client_order_id, symbol, exchange_segment,
      side, product_type, qty, mode, broker, status)
    select gen_random_uuid(), s.id, $1, gen_random_uuid(), gen_random_uuid(), 'bf' || g || '-' || s.symbol, s.symbol, 'NSE_EQ', 'BUY', 'INTRADAY', 1, 'PAPER', 'paper', 'PLACED'
    from jsonb_to_recordset($2::jsonb) as s(id uuid, symbol text) cross join generate_series(1, $3::int) g
    returning client_order_id, strategy_id, symbol`,
      [user, JSON.stringify(strategies), (FILLS * 2 * ROUNDS) / POSITIONS + 1],
    )
  ).rows;
  await c.end();
  const queues = new Map(strategies.map((s) => [s.id, []]));
  for (const e of executions) queues.get(e.strategy_id).push(e);
  const sql = require(path.join(dist, 'db', 'sql')).createSqlPool(db.url, 10);
  const { OrderUpdatesService } = require(path.join(dist, 'modules', 'executions', 'order-updates.service'));
  const service = new OrderUpdatesService(sql, { publish() {} }, { check: async () => false });
  return {
    dist,
    db,
    sql,
    service,
    queues: [...queues.values()],
    positions: strategies.map(() => 0),
    results: { adds: [], reversals: [] },
  };
}

// `next(position)` gives the side and quantity of a position's next fill
async function phase(build, next) {
  const latencies = [];
  const t0 = process.hrtime.bigint();
  await Promise.all(
    build.queues.map(async (queue, q) => {
      for (let i = 0; i < FILLS / POSITIONS; i++) {
        const e = queue.shift();
        const { side, qty } = next(build.positions[q]);
        build.positions[q] += side === 'BUY' ? qty : -qty;
        build.service.expectFills(e.client_order_id, { strategyId: e.strategy_id, symbol: e.symbol, mode: 'PAPER' });
        const s0 = process.hrtime.bigint();
        await build.service.applyFill({
          tradeId: `T-${e.client_order_id}`,
          clientOrderId: e.client_order_id,
          brokerOrderId: `B-${e.client_order_id}`,
          broker: 'paper',
          accountId: 'bench',
          instrument: { symbol: e.symbol, exchangeSegment: 'NSE_EQ' },
          side,
          product: 'INTRADAY',
          quantity: String(qty),
          price: (1000 + (i % 7)).toFixed(2),
          fee: { total: '1.23', breakdown: {} },
          ts: Date.now(),
          raw: {},
        });
        latencies.push(Number(process.hrtime.bigint() - s0) / 1e6);
      }
    }),
  );
  return { rate: latencies.length / (Number(process.hrtime.bigint() - t0) / 1e9), p50: summarize(latencies).p50 };
}

async function main() {
  console.log(`fill ledger: ${await machineLine()}`);
  const builds = [];
  try {
    for (const dist of DISTS) builds.push(await setup(dist));
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which build goes first
      for (const build of round % 2 ? [...builds].reverse() : builds) {
        build.results.adds.push(await phase(build, () => ({ side: 'BUY', qty: 1 })));
        // Long p: SELL 2p leaves short p; short p: BUY 2p
        build.results.reversals.push(
          await phase(build, (p) => ({ side: p > 0 ? 'SELL' : 'BUY', qty: 2 * Math.abs(p) })),
        );
      }
    }
    for (const build of builds) {
      console.log(build.dist);
      for (const [name, runs] of Object.entries(build.results)) {
        // The first round warms caches and the in-process position state
        const kept = runs.slice(1);
        console.log(
          `  ${name === 'adds' ? 'adds (no trip closes)' : 'reversals (a trip closes on every fill)'}: ` +
            `${kept.map((r) => Math.round(r.rate)).join(', ')} fills/s; applyFill p50 ${kept.map((r) => ms(r.p50)).join(', ')}`,
        );
      }
    }
  } finally {
    for (const build of builds) {
      await build.sql.end();
      await dropDatabase(build.db.name);
    }
  }
}

withBudget('fill-ledger', 140_000, main);
