#!/usr/bin/env node
// One position's lane draining a pre-queued backlog (issue 13): measures what does not depend on how loaded the
// machine is, plus the drain rate. The bench holds the position's turn (its advisory lock, as another api process
// would), sends BENCH_DRAIN_ALERTS alerts to one strategy and symbol, waits for every 202, then lets the turn go and
// times the lane until the last ORDER_FILLED event. Prints statements per order (through the counting proxy, by
// kind), the api's CPU per order (from /proc, intake included) and the drain rate.
//   npx tsc -b api && node bench/lane-drain.js            (BENCH_DRAIN_ALERTS, default 500)
'use strict';

const { randomBytes } = require('node:crypto');
const http = require('node:http');
const { Client } = require('pg');
const { startApi } = require('./lib/api-process');
const { login, deployedStrategy } = require('./lib/graphql-client');
const { subscribeExecutionEvents } = require('./lib/event-stream');
const { postJson } = require('./lib/http-load');
const { startPgCountProxy, statementsBetween, ownStatements, printPerUnit } = require('./lib/pg-count-proxy');
const { alternatingAlert } = require('./lib/alerts');
const { snapshot } = require('./lib/cpu-usage');
const { machineLine } = require('./lib/machine');
const { withBudget } = require('./lib/budget');

const ALERTS = Number(process.env.BENCH_DRAIN_ALERTS || 500);
// On a loaded machine the lane may not drain the whole backlog in time: the rate is then over what did
const DRAIN_WAIT_MS = Number(process.env.BENCH_DRAIN_WAIT_MS || 60_000);
const CONNECTIONS = 16;
const run = randomBytes(3).toString('hex');
// Agenda's polling and the notification outbox are not the orders' work
const background = (kind) => /agenda_jobs|notification_outbox|notification_channels/.test(kind);

async function main() {
  console.log(`lane drain: ${await machineLine()}`);
  const proxy = await startPgCountProxy();
  const api = await startApi({ dbPort: proxy.port, env: { STRATEGY_BACKLOG_MAX: '1000000' } });
  const holder = new Client({ connectionString: api.dbUrl });
  try {
    holder.on('error', () => undefined);
    await holder.connect();
    const token = await login(api.url, api.admin.email, api.admin.password);
    const strategy = await deployedStrategy(api.url, token, `drain-${run}`);
    let filled = 0;
    let lastFill = 0n;
    let done;
    const allFilled = new Promise((resolve) => (done = resolve));
    const sub = await subscribeExecutionEvents(api.wsUrl, token, strategy.id, (e, at) => {
      if (e.type !== 'ORDER_FILLED') return;
      filled += 1;
      lastFill = at;
      if (filled === ALERTS) done();
    });
    const key = `${strategy.id}|RELIANCE|PAPER`;
    await holder.query('select pg_advisory_lock(hashtextextended($1, 0))', [key]);
    const q0 = proxy.snapshot();
    const c0 = snapshot(api.pid, api.dbName);
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    let sent = 0;
    const sender = async () => {
      while (sent < ALERTS) {
        const i = sent++;
        const res = await postJson(
          agent,
          `${api.url}/api/webhook/tradingview`,
          alternatingAlert(strategy.secret, `${run}-${i}`, i),
        );
        if (res.status !== 202) throw new Error(`alert ${i}: ${res.status} ${res.body}`);
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, sender));
    agent.destroy();
    // Let the intake's statements settle; nothing fills while the bench holds the turn
    await new Promise((r) => setTimeout(r, 500));
    const before = filled;
    const t0 = process.hrtime.bigint();
    await holder.query('select pg_advisory_unlock(hashtextextended($1, 0))', [key]);
    await Promise.race([allFilled, new Promise((r) => setTimeout(r, DRAIN_WAIT_MS))]);
    const drained = filled;
    const drainMs = Number(lastFill - t0) / 1e6;
    // Counts and CPU are per order drained; a backlog left over keeps the lane busy, so the window closes now
    const q1 = proxy.snapshot();
    const c1 = snapshot(api.pid, api.dbName);
    await sub.close();
    const { statements, kinds } = ownStatements(statementsBetween(q0, q1), background);
    let pg = 0;
    for (const [pid, cpu] of c1.postgres) pg += cpu - (c0.postgres.get(pid) ?? 0);
    console.log(`${ALERTS} alerts to one position, queued behind its held turn (${before} filled before the release)`);
    console.log(
      `  drain: ${drained} of ${ALERTS} orders in ${drainMs.toFixed(0)} ms = ${((drained * 1000) / drainMs).toFixed(1)} orders/s`,
    );
    console.log(
      `  statements per order (intake included): ${(statements / drained).toFixed(2)}; api CPU per order ${(((c1.server - c0.server) * 1000) / drained).toFixed(2)} ms; PostgreSQL CPU per order ${((pg * 1000) / drained).toFixed(2)} ms`,
    );
    printPerUnit(kinds, drained, 'order');
  } finally {
    await holder.end().catch(() => undefined);
    await api.stop();
    await proxy.close();
  }
}

withBudget('lane-drain', 175_000, main);
