#!/usr/bin/env node
// Alert -> paper fill -> subscription event (issue 4): time from sending a TradingView alert to receiving its
// ORDER_FILLED event on a graphql-ws subscription, matched by alert_id, at fixed alert rates (open loop).
//   npx tsc -b api && node bench/pipeline-latency.js
// Settings: BENCH_PIPELINE_RATES (default "10,100" alerts/s, run in that order), BENCH_PIPELINE_MS (10000 per rate),
// BENCH_PIPELINE_WARMUP_MS (3000: each rate runs this long first, not counted; 0 measures from cold), BENCH_ADMIN_URL.
// Target: p99 <= 25 ms at 100 alerts/s.
'use strict';

const { randomBytes } = require('node:crypto');
const { startApi } = require('./lib/api-process');
const { login, deployedStrategy } = require('./lib/graphql-client');
const { subscribeExecutionEvents } = require('./lib/event-stream');
const { openLoop } = require('./lib/http-load');
const { summarize, ms } = require('./lib/stats');
const { snapshot, usageBetween, fmtUsage } = require('./lib/cpu-usage');
const { machineLine } = require('./lib/machine');
const { withBudget } = require('./lib/budget');

const RATES = (process.env.BENCH_PIPELINE_RATES || '10,100').split(',').map(Number);
const PHASE_MS = Number(process.env.BENCH_PIPELINE_MS || 10_000);
const GRACE_MS = 10_000;
// Before each measured rate, the same rate for this long, not counted: a running service has its pooled
// connections, PostgreSQL backends and JIT warm at that concurrency (the cold transient is reported apart).
const WARMUP_MS = Number(process.env.BENCH_PIPELINE_WARMUP_MS ?? 3000);
const TARGET_RATE = 100;
const TARGET_P99_MS = 25;
const run = randomBytes(3).toString('hex');

// One rate: every alert's send time (scheduled, open loop) -> arrival of the ORDER_FILLED event with its alert_id
async function phase(api, strategy, events, rate, durationMs = PHASE_MS, label = `r${rate}`) {
  const sentAt = new Map(); // alert index -> scheduled hrtime
  const alertIndex = new Map(); // alert_id -> alert index
  const filled = new Map(); // alert index -> ms
  const early = new Map(); // alert_id -> hrtime, for fills that beat their 202
  const acks = [];
  events.onFill = (alertId, at) => {
    const i = alertIndex.get(alertId);
    if (i === undefined) early.set(alertId, at);
    else if (!filled.has(i)) filled.set(i, Number(at - sentAt.get(i)) / 1e6);
  };
  const cpu0 = snapshot(api.pid, api.dbName);
  const load = await openLoop({
    url: `${api.url}/api/webhook/tradingview`,
    rate,
    durationMs,
    graceMs: GRACE_MS,
    makeBody: (i) =>
      JSON.stringify({
        secret: strategy.secret,
        idempotency_key: `${run}-${label}-${i}`,
        symbol: 'RELIANCE',
        side: i % 2 ? 'SELL' : 'BUY',
        qty: 1,
        price: 2500,
      }),
    onSend: (i, scheduled) => sentAt.set(i, scheduled),
    onResponse: (i, res, scheduled) => {
      if (res.status !== 202) return;
      acks.push(Number(process.hrtime.bigint() - scheduled) / 1e6);
      const alertId = JSON.parse(res.body).alert_id;
      alertIndex.set(alertId, i);
      if (early.has(alertId)) filled.set(i, Number(early.get(alertId) - scheduled) / 1e6);
    },
  });
  // Fills still on their way after the last answer
  const deadline = Date.now() + GRACE_MS;
  while (filled.size < alertIndex.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const cpu = usageBetween(cpu0, snapshot(api.pid, api.dbName));
  // p99 of each second of the phase (by scheduled send time): shows whether the tail is a start-up transient or steady
  const bySecond = [];
  for (const [i, latency] of filled) (bySecond[Math.floor(i / rate)] ??= []).push(latency);
  const secondP99 = bySecond.map((values) => (values ? summarize(values).p99 : NaN));
  return {
    rate,
    load,
    accepted: alertIndex.size,
    fills: summarize([...filled.values()]),
    missing: alertIndex.size - filled.size,
    ack: summarize(acks),
    cpu,
    secondP99,
  };
}

async function main() {
  console.log(`pipeline latency: ${await machineLine()}`);
  const api = await startApi();
  const results = [];
  let cleanExit;
  try {
    const token = await login(api.url, api.admin.email, api.admin.password);
    const strategy = await deployedStrategy(api.url, token, `pipeline-${run}`);
    const events = { onFill: () => undefined, counts: {} };
    const sub = await subscribeExecutionEvents(api.wsUrl, token, strategy.id, (e, at) => {
      events.counts[e.type] = (events.counts[e.type] ?? 0) + 1;
      if (e.type === 'ORDER_FILLED') events.onFill(e.alertId, at);
    });
    try {
      // Warm-up: JIT, the paper account, the first subscription events
      await phase(api, strategy, events, 5, 5000, 'warm');
      for (const rate of RATES) {
        if (WARMUP_MS > 0) await phase(api, strategy, events, rate, WARMUP_MS, `warm-${rate}`);
        results.push(await phase(api, strategy, events, rate));
      }
    } finally {
      await sub.close();
    }
    console.log(`events received on the subscription: ${JSON.stringify(events.counts)}`);
  } finally {
    cleanExit = await api.stop();
  }
  for (const r of results) {
    const statuses = Object.entries(r.load.statuses)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ');
    console.log(
      `${r.rate} alerts/s (open loop, ${r.load.sent} alerts): answers {${statuses}}${r.load.unanswered ? `, ${r.load.unanswered} unanswered` : ''}; ` +
        `ack p50 ${ms(r.ack.p50)} p99 ${ms(r.ack.p99)}; alert -> ORDER_FILLED event p50 ${ms(r.fills.p50)}, p99 ${ms(r.fills.p99)}, max ${ms(r.fills.max)}` +
        ` (${r.fills.count} of ${r.accepted} accepted${r.missing ? `, ${r.missing} without a fill event ${GRACE_MS / 1000} s later` : ''}); ${fmtUsage(r.cpu)}`,
    );
    console.log(`  p99 by second: ${r.secondP99.map((v) => (Number.isNaN(v) ? '-' : v.toFixed(0))).join(' ')} ms`);
  }
  if (!cleanExit) console.log('api: did not exit within 3 s of SIGTERM (killed); see bench/README.md');
  const target = results.find((r) => r.rate === TARGET_RATE);
  if (target) {
    const complete = target.load.sent === target.accepted && target.missing === 0;
    const met = complete && target.fills.p99 <= TARGET_P99_MS;
    console.log(
      `target: alert -> ORDER_FILLED p99 <= ${TARGET_P99_MS} ms at ${TARGET_RATE} alerts/s: ${ms(target.fills.p99)}` +
        `${complete ? '' : ` (and only ${target.fills.count} of ${target.load.sent} alerts produced a fill event)`} -> ${met ? 'MET' : 'NOT MET'}`,
    );
  }
}

withBudget('pipeline-latency', 115_000, main);
