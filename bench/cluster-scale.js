#!/usr/bin/env node
// Several api processes on one database (issue 19 part 2): webhook intake throughput and alert -> fill p99 with 1, 2
// and 4 processes, alerts spread round-robin over the processes and over 8 positions (strategies), fills heard on
// one subscription on the first process (events of the others come over NOTIFY); then the recovery time after
// killing one of two processes with SIGKILL under load. It prints the in-memory queue's bound it ran with, and ends
// within BENCH_CLUSTER_BUDGET_S (330 s by default: every wait for fills is cut to what is left of it).
//   npx tsc -b api && node bench/cluster-scale.js
// Settings: BENCH_CLUSTER_SIZES (default "1,2,4"; "none": only the recovery run), BENCH_CLUSTER_MS (5000 per phase),
// BENCH_CLUSTER_RATE (100 alerts/s for the latency phase), BENCH_CLUSTER_QUEUE_MAX (EXECUTOR_QUEUE_MAX of every
// process, 2000 as the api's default), BENCH_CLUSTER_LEASE_MS (5000: EXECUTION_LEASE_MS of the recovery run),
// BENCH_CLUSTER_RECOVERY (0: skip the recovery run), BENCH_CLUSTER_BUDGET_S (330).
'use strict';

const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { Client } = require('pg');
const { createDatabase, dropDatabase } = require('./lib/pg-admin');
const { freePort } = require('./lib/free-port');
const { startChild, waitReady, stopChild } = require('./lib/child-process');
const { login, deployedStrategy } = require('./lib/graphql-client');
const { subscribeExecutionEvents } = require('./lib/event-stream');
const { closedLoop, openLoop } = require('./lib/http-load');
const { summarize, ms } = require('./lib/stats');
const { machineLine } = require('./lib/machine');

const ROOT = path.join(__dirname, '..');
// BENCH_API_MAIN: another build of the api to measure (e.g. main before the position turn)
const MAIN = process.env.BENCH_API_MAIN
  ? path.resolve(process.env.BENCH_API_MAIN)
  : path.join(ROOT, 'api', 'dist', 'main.js');
const SIZES = (process.env.BENCH_CLUSTER_SIZES || '1,2,4')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const PHASE_MS = Number(process.env.BENCH_CLUSTER_MS || 5000);
const RATE = Number(process.env.BENCH_CLUSTER_RATE || 100);
const LEASE_MS = Number(process.env.BENCH_CLUSTER_LEASE_MS || 5000);
const QUEUE_MAX = Number(process.env.BENCH_CLUSTER_QUEUE_MAX || 2000);
const STARTED = Date.now();
const BUDGET_MS = Number(process.env.BENCH_CLUSTER_BUDGET_S || 330) * 1000;
// What is left of the budget, less what the rest of the run needs (reserveMs), at least minMs and at most capMs
const budgetLeft = (capMs, reserveMs = 0, minMs = 1000) =>
  Math.max(minMs, Math.min(capMs, STARTED + BUDGET_MS - reserveMs - Date.now()));
const POSITIONS = 8;
const run = randomBytes(3).toString('hex');

async function startCluster(n, extraEnv = {}, readyMs = 90_000) {
  const db = await createDatabase('bench_cluster');
  const common = {
    NODE_ENV: 'production',
    DATABASE_URL: db.url,
    SECRET_KEY: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    DASHBOARD_FORWARD_SECRET: randomBytes(32).toString('hex'),
    SEED_ADMIN_EMAIL: 'bench-admin@algodatta.local',
    SEED_ADMIN_PASSWORD: `bench-${run}-pw`,
    LOG_LEVEL: 'warn',
    BROKER_PLUGINS: '@algodatta/broker-paper',
    PAPER_MARKET_HOURS: 'ignore',
    DB_POOL_MAX: '6',
    DHAN_BASE_URL: 'http://127.0.0.1:9/v2',
    DHAN_INSTRUMENTS_URL: 'http://127.0.0.1:9/api-scrip-master.csv',
    EXECUTOR_QUEUE_MAX: String(QUEUE_MAX),
    ...extraEnv,
  };
  const apis = [];
  const start = async (i) => {
    const port = await freePort();
    const handle = startChild(
      `api${i}`,
      [MAIN],
      { ...common, PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}` },
      { cwd: ROOT },
    );
    apis[i] = { handle, url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/graphql` };
    await waitReady(handle, `http://127.0.0.1:${port}/readyz`, readyMs);
  };
  try {
    // The first one migrates the new database; the others start side by side after it
    await start(0);
    await Promise.all(Array.from({ length: n - 1 }, (_, k) => start(k + 1)));
  } catch (error) {
    await Promise.all(apis.filter(Boolean).map((a) => stopChild(a.handle, 1000)));
    await dropDatabase(db.name);
    throw error;
  }
  const token = await login(apis[0].url, common.SEED_ADMIN_EMAIL, common.SEED_ADMIN_PASSWORD);
  const strategies = [];
  for (let i = 0; i < POSITIONS; i++) strategies.push(await deployedStrategy(apis[0].url, token, `bench ${run} ${i}`));
  return {
    apis,
    db,
    token,
    strategies,
    async stop() {
      await Promise.all(apis.map((a) => stopChild(a.handle, 3000)));
      await dropDatabase(db.name);
    },
  };
}

const body = (c, label, i) => {
  const s = c.strategies[i % POSITIONS];
  return JSON.stringify({
    secret: s.secret,
    idempotency_key: `${run}-${label}-${i}`,
    symbol: 'RELIANCE',
    side: Math.floor(i / POSITIONS) % 2 ? 'SELL' : 'BUY',
    qty: 1,
    price: 2500,
  });
};

// Each process gets its share of the load (a load balancer's round robin); alert ids -> fill times on one subscription
async function fillListener(c) {
  const fills = new Map();
  const clients = [];
  for (const s of c.strategies) {
    clients.push(
      await subscribeExecutionEvents(c.apis[0].wsUrl, c.token, s.id, (e, at) => {
        if (e.type === 'ORDER_FILLED' && !fills.has(e.alertId)) fills.set(e.alertId, at);
      }),
    );
  }
  return { fills, close: () => Promise.all(clients.map((cl) => cl.close?.() ?? cl.dispose?.())) };
}

async function intake(c, label) {
  const results = await Promise.all(
    c.apis.map((a, k) =>
      closedLoop({
        url: `${a.url}/api/webhook/tradingview`,
        connections: Math.max(2, Math.round(16 / c.apis.length)),
        durationMs: PHASE_MS,
        makeBody: (i) => body(c, `${label}-${k}`, i * c.apis.length + k),
      }),
    ),
  );
  const accepted = results.reduce((n, r) => n + (r.statuses[202] ?? 0), 0);
  const other = results.map((r) => JSON.stringify(r.statuses)).join(' ');
  return { perSec: accepted / Math.max(...results.map((r) => r.elapsedS)), other };
}

async function latency(c, label, phaseMs = PHASE_MS, waitCapMs = 15_000) {
  const listener = await fillListener(c);
  const sentAt = new Map();
  const results = await Promise.all(
    c.apis.map((a, k) =>
      openLoop({
        url: `${a.url}/api/webhook/tradingview`,
        rate: RATE / c.apis.length,
        durationMs: phaseMs,
        makeBody: (i) => body(c, `${label}-${k}`, i * c.apis.length + k),
        onResponse: (i, res, scheduled) => {
          if (res.status === 202) sentAt.set(JSON.parse(res.body).alert_id, scheduled);
        },
      }),
    ),
  );
  const deadline = Date.now() + waitCapMs;
  while ([...sentAt.keys()].some((id) => !listener.fills.has(id)) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  const samples = [...sentAt]
    .filter(([id]) => listener.fills.has(id))
    .map(([id, t]) => Number(listener.fills.get(id) - t) / 1e6);
  await listener.close();
  return {
    summary: summarize(samples),
    accepted: sentAt.size,
    missing: sentAt.size - samples.length,
    statuses: results.map((r) => JSON.stringify(r.statuses)).join(' '),
  };
}

async function query(url, text, params) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

// Two processes at RATE alerts/s; the second is killed (SIGKILL) a second in; how long after the kill until every
// execution in the database (accepted by either) has filled, and whether any filled twice
async function recovery() {
  const c = await startCluster(
    2,
    { EXECUTION_LEASE_MS: String(LEASE_MS), RECOVERY_SWEEP_SECONDS: '2' },
    budgetLeft(90_000, 20_000, 10_000),
  );
  try {
    let killedAt;
    setTimeout(() => {
      killedAt = Date.now();
      c.apis[1].handle.child.kill('SIGKILL');
    }, 1000);
    await Promise.all(
      c.apis.map((a, k) =>
        openLoop({
          url: `${a.url}/api/webhook/tradingview`,
          rate: RATE / 2,
          durationMs: 3000,
          graceMs: 3000,
          makeBody: (i) => body(c, `rec-${k}`, i * 2 + k),
        }),
      ),
    );
    let pending;
    const deadline = Date.now() + budgetLeft(60_000, 5000, 5000);
    for (;;) {
      [{ n: pending }] = await query(
        c.db.url,
        `select count(*)::int as n from executions where status not in ('FILLED', 'REJECTED')`,
      );
      if (pending === 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const doneMs = Date.now() - killedAt;
    const [{ total, twice }] = await query(
      c.db.url,
      `select count(*)::int as total, count(*) filter (where n > 1)::int as twice
      from (select e.id, count(f.id) as n from executions e left join fills f on f.execution_id = e.id group by e.id) x`,
    );
    return { doneMs, pending, total, twice };
  } finally {
    await c.stop();
  }
}

async function main() {
  console.log(await machineLine());
  console.log(`alerts over ${POSITIONS} positions, round-robin over the processes; phases of ${PHASE_MS} ms`);
  console.log(
    `in-memory queue bound: EXECUTOR_QUEUE_MAX=${QUEUE_MAX} executions per process (and at most 256 of one position); beyond it they wait PENDING in PostgreSQL for any process`,
  );
  // The recovery run needs about 45 s (start two, 6 s of load, the lease, the drain): kept for it from the start
  const recoveryMs = process.env.BENCH_CLUSTER_RECOVERY === '0' ? 0 : 45_000;
  for (const n of SIZES) {
    const phaseStart = Date.now();
    // Start-up, deploy, three phases and their waits: about 40 s on a quiet machine; a size that cannot start within
    // what is left is reported as not measured, and the rest still runs
    if (budgetLeft(Infinity, recoveryMs, 0) < 30_000) {
      console.log(`${n} process(es): not measured (the bench's ${BUDGET_MS / 1000} s budget ran out)`);
      continue;
    }
    let c;
    try {
      c = await startCluster(n, {}, budgetLeft(90_000, recoveryMs + 20_000, 10_000));
    } catch (error) {
      console.log(`${n} process(es): not measured (${String(error.message).split('\n')[0]})`);
      continue;
    }
    try {
      const reserve = recoveryMs;
      // A short warm-up with a short wait (start-up compiles and fills caches; its figures are not kept)
      await latency(c, `warm${n}`, Math.min(PHASE_MS, 2000), budgetLeft(5000, reserve + 2 * PHASE_MS));
      // Latency before intake: the intake phase leaves a backlog of executions behind it
      const l = await latency(c, `lat${n}`, PHASE_MS, budgetLeft(15_000, reserve + PHASE_MS));
      const i = await intake(c, `in${n}`);
      console.log(
        `${n} process(es): intake ${i.perSec.toFixed(0)} alerts/s (${i.other}); at ${RATE}/s alert->fill p50 ${ms(l.summary.p50)} p99 ${ms(l.summary.p99)} max ${ms(l.summary.max)} (${l.accepted} accepted, ${l.missing} without a fill event) [${((Date.now() - phaseStart) / 1000).toFixed(0)} s]`,
      );
    } finally {
      await c.stop();
    }
  }
  if (process.env.BENCH_CLUSTER_RECOVERY === '0') return;
  let r;
  try {
    r = await recovery();
  } catch (error) {
    console.log(`kill -9 of 1 of 2 processes: not measured (${String(error.message).split('\n')[0]})`);
    return;
  }
  console.log(
    `kill -9 of 1 of 2 processes at ${RATE} alerts/s (EXECUTION_LEASE_MS ${LEASE_MS}): all ${r.total} executions done ${r.doneMs} ms after the kill (${r.pending} still pending, ${r.twice} filled twice)`,
  );
}

main().then(
  () => {
    console.log(`bench ran ${((Date.now() - STARTED) / 1000).toFixed(0)} s`);
    process.exit(0);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
