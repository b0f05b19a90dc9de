#!/usr/bin/env node
// Where an alert's time goes, in database round trips: the api reaches PostgreSQL through a counting proxy and
// alerts are sent one at a time, so every statement between sending an alert and its ORDER_FILLED event (plus a
// short settle for the work that follows the event) belongs to that alert. Also reports the api's CPU per alert.
//   npx tsc -b api && node bench/pipeline-queries.js            (BENCH_QUERY_ALERTS, default 40)
'use strict';

const { randomBytes } = require('node:crypto');
const http = require('node:http');
const { startApi } = require('./lib/api-process');
const { login, deployedStrategy } = require('./lib/graphql-client');
const { subscribeExecutionEvents } = require('./lib/event-stream');
const { postJson } = require('./lib/http-load');
const { startPgCountProxy, statementsBetween, ownStatements, printPerUnit } = require('./lib/pg-count-proxy');
const { alternatingAlert } = require('./lib/alerts');
const { summarize, ms, sinceMs } = require('./lib/stats');
const { snapshot } = require('./lib/cpu-usage');
const { machineLine } = require('./lib/machine');
const { withBudget } = require('./lib/budget');

const ALERTS = Number(process.env.BENCH_QUERY_ALERTS || 40);
const SETTLE_MS = 150;
const run = randomBytes(3).toString('hex');
// Agenda's own polling is not the alert's work
const background = (kind) => kind.includes('agenda_jobs');

async function main() {
  console.log(`pipeline queries: ${await machineLine()}`);
  const proxy = await startPgCountProxy();
  const api = await startApi({ dbPort: proxy.port });
  try {
    const token = await login(api.url, api.admin.email, api.admin.password);
    const strategy = await deployedStrategy(api.url, token, `queries-${run}`);
    let waiting = null;
    const sub = await subscribeExecutionEvents(api.wsUrl, token, strategy.id, (e) => {
      if (e.type === 'ORDER_FILLED' && waiting && e.alertId === waiting.alertId) waiting.resolve();
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = async (i) => {
      const res = await postJson(
        agent,
        `${api.url}/api/webhook/tradingview`,
        alternatingAlert(strategy.secret, `${run}-${i}`, i),
        10_000,
      );
      if (res.status !== 202) throw new Error(`alert ${i}: ${res.status} ${res.body}`);
      return JSON.parse(res.body).alert_id;
    };
    const perAlert = { intake: [], total: [], cpuMs: [], ack: [], fill: [] };
    const kinds = new Map();
    try {
      for (let i = -5; i < ALERTS; i++) {
        // 5 warm-up alerts
        const filled = new Promise((resolve) => {
          waiting = { alertId: null, resolve };
        });
        const q0 = proxy.snapshot();
        const c0 = snapshot(api.pid, api.dbName);
        const t0 = process.hrtime.bigint();
        waiting.alertId = await send(i);
        const ack = sinceMs(t0);
        const q1 = proxy.snapshot();
        await Promise.race([
          filled,
          new Promise((_, reject) =>
            setTimeout(() => reject(new Error(`no ORDER_FILLED for alert ${i} within 10 s`)), 10_000),
          ),
        ]);
        const fill = sinceMs(t0);
        await new Promise((r) => setTimeout(r, SETTLE_MS));
        const q2 = proxy.snapshot();
        const c1 = snapshot(api.pid, api.dbName);
        if (i < 0) continue;
        const all = ownStatements(statementsBetween(q0, q2), background);
        perAlert.intake.push(ownStatements(statementsBetween(q0, q1), background).statements);
        perAlert.total.push(all.statements);
        perAlert.cpuMs.push((c1.server - c0.server) * 1000);
        perAlert.ack.push(ack);
        perAlert.fill.push(fill);
        for (const [k, n] of all.kinds) kinds.set(k, (kinds.get(k) ?? 0) + n);
      }
    } finally {
      agent.destroy();
      await sub.close();
    }
    const avg = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
    console.log(`${ALERTS} alerts, one at a time (each waits for the previous ORDER_FILLED event):`);
    console.log(
      `  statements per alert: ${avg(perAlert.intake).toFixed(1)} before the 202, ${avg(perAlert.total).toFixed(1)} in all up to the fill event + ${SETTLE_MS} ms`,
    );
    console.log(
      `  api CPU per alert: ${avg(perAlert.cpuMs).toFixed(1)} ms (includes the ${SETTLE_MS} ms settle; /proc ticks are 10 ms)`,
    );
    const a = summarize(perAlert.ack);
    const f = summarize(perAlert.fill);
    console.log(
      `  unloaded latency: ack p50 ${ms(a.p50)} p99 ${ms(a.p99)}; alert -> ORDER_FILLED event p50 ${ms(f.p50)} p99 ${ms(f.p99)}`,
    );
    printPerUnit(kinds, ALERTS, 'alert');
  } finally {
    await api.stop();
    await proxy.close();
  }
}

withBudget('pipeline-queries', 115_000, main);
