#!/usr/bin/env node
// Reports and CSV export over a large history (issue 14): BENCH_REPORT_EXECUTIONS executions (default 1,000,000)
// across 50 strategies, generated with SQL (lib/report-data.js) into the database of a real api process.
//   - report(filter) over GraphQL: one trader's busiest strategy, an admin over everything, an admin over one month
//   - GET /api/reports/export: time to the first byte and to the first data row, rows/s, and the api's RSS growth
//     (sampled from /proc every 50 ms) for the admin's export of every execution, and of every round trip
//   npx tsc -b api && node bench/reports.js
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const { Client } = require('pg');
const { startApi } = require('./lib/api-process');
const { gql, login } = require('./lib/graphql-client');
const { machineLine } = require('./lib/machine');
const { withBudget } = require('./lib/budget');
const { generate } = require('./lib/report-data');

const EXECUTIONS = Number(process.env.BENCH_REPORT_EXECUTIONS || 1_000_000);
const RUNS = Number(process.env.BENCH_REPORT_RUNS || 3);
const TARGET_MS = 1000;

const REPORT_FIELDS = `totalTrades wins losses winRate totalPnl avgPnl grossPnl charges expectancy avgWin avgLoss largestWin largestLoss
  profitFactor maxDrawdown longestLosingStreak sharpe daily { date pnl trades } equityCurve { at equity drawdown }
  exposure { symbol trades netPnl turnover maxQty }`;

const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;

async function timeReport(label, api, token, filter) {
  const times = [];
  let last;
  for (let i = 0; i < RUNS + 1; i++) {
    const t0 = process.hrtime.bigint();
    last = (
      await gql(api.url, `query($f: ReportFilter) { report(filter: $f) { ${REPORT_FIELDS} } }`, { f: filter }, token)
    ).report;
    if (i > 0) times.push(Number(process.hrtime.bigint() - t0) / 1e6); // the first run warms caches and plans
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(
    `${label}: ${last.totalTrades} trips, ${last.daily.length} days, ${last.equityCurve.length} curve points; ` +
      `min ${times[0].toFixed(0)} ms, median ${median.toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms ` +
      `(${RUNS} runs, target < ${TARGET_MS} ms: ${median < TARGET_MS ? 'met' : 'NOT met'})`,
  );
}

// Reads the whole CSV as a client would, counting lines only (no parsing, so the client is not the bottleneck)
function timeExport(label, api, token, query) {
  return new Promise((resolve, reject) => {
    const baseline = rssKb(api.pid);
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssKb(api.pid));
    }, 50);
    const t0 = process.hrtime.bigint();
    const since = () => Number(process.hrtime.bigint() - t0) / 1e6;
    let firstByte;
    let firstRow;
    let lines = 0;
    let bytes = 0;
    const req = http.get(
      `${api.url}/api/reports/export?${new URLSearchParams(query)}`,
      { headers: { authorization: `Bearer ${token}` }, agent: false },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`${label}: HTTP ${res.statusCode}`));
        res.on('data', (chunk) => {
          firstByte ??= since();
          bytes += chunk.length;
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
          if (lines >= 2) firstRow ??= since();
        });
        res.on('end', () => {
          clearInterval(sampler);
          const total = since();
          const rows = lines - 1;
          console.log(
            `${label}: ${rows} rows, ${(bytes / 1e6).toFixed(0)} MB in ${(total / 1000).toFixed(1)} s = ${Math.round(rows / (total / 1000))} rows/s; ` +
              `first byte ${firstByte.toFixed(0)} ms, first data row ${firstRow?.toFixed(0) ?? 'n/a'} ms; api RSS ${mb(baseline)} -> peak ${mb(peak)} (+${mb(peak - baseline)})`,
          );
          resolve();
        });
      },
    );
    req.on('error', (error) => {
      clearInterval(sampler);
      reject(error);
    });
  });
}

async function main() {
  console.log(`reports: ${await machineLine()}`);
  const api = await startApi();
  try {
    const registered = await gql(
      api.url,
      'mutation($i: RegisterInput!) { register(input: $i) { accessToken user { id } } }',
      { i: { email: 'bench-trader@bench.local', password: 'bench-password-1' } },
    );
    const trader = registered.register;
    const admin = await login(api.url, api.admin.email, api.admin.password);
    const db = new Client({ connectionString: api.dbUrl });
    await db.connect();
    const busiest = await generate(db, {
      traderId: trader.user.id,
      executions: EXECUTIONS,
      strategies: 50,
      busiestShare: 0.1,
      log: console.log,
    });
    await db.end();

    await timeReport("report, the trader's busiest strategy", api, trader.accessToken, { strategyId: busiest });
    await timeReport('report, the trader (10 strategies)', api, trader.accessToken, undefined);
    await timeReport('report, admin over all', api, admin, undefined);
    await timeReport('report, admin over one month', api, admin, { from: '2026-03-01', to: '2026-03-31' });

    await timeExport('export, admin, every execution', api, admin, {});
    await timeExport('export, admin, every round trip (kind=trades)', api, admin, { kind: 'trades' });
    await timeExport("export, the trader's executions in one month", api, trader.accessToken, {
      from: '2026-03-01',
      to: '2026-03-31',
    });
  } finally {
    await api.stop();
  }
}

withBudget('reports', 145_000, main);
