#!/usr/bin/env node
// Duplicate storm (issue 4): 1,000 concurrent deliveries of one alert (same idempotency key) must create exactly
// one execution: one 202, the rest 200 "duplicate" naming the same alert_id.
// A second, small storm on a fresh api separates the idempotency logic from capacity problems.
//   npx tsc -b api && node bench/webhook-duplicates.js        (BENCH_STORM_SIZES, default "1000,20")
'use strict';

const http = require('node:http');
const { randomBytes } = require('node:crypto');
const { Client } = require('pg');
const { startApi } = require('./lib/api-process');
const { login, deployedStrategy, executionCount } = require('./lib/graphql-client');
const { postJson } = require('./lib/http-load');
const { summarize, ms, sinceMs } = require('./lib/stats');
const { machineLine } = require('./lib/machine');
const { withBudget } = require('./lib/budget');

const SIZES = (process.env.BENCH_STORM_SIZES || '1000,20').split(',').map(Number);
const TIMEOUT_MS = 30_000;

async function main() {
  console.log(`duplicate storm: ${await machineLine()}`);
  for (const size of SIZES) await storm(size);
}

async function storm(SIZE) {
  const api = await startApi();
  let cleanExit;
  try {
    const token = await login(api.url, api.admin.email, api.admin.password);
    const strategy = await deployedStrategy(api.url, token, `storm-${randomBytes(3).toString('hex')}`);
    const body = JSON.stringify({
      secret: strategy.secret,
      idempotency_key: `storm-${randomBytes(6).toString('hex')}`,
      symbol: 'RELIANCE',
      side: 'BUY',
      qty: 1,
      price: 2500,
    });
    // One socket per delivery, all opened before any is sent, so the server sees them together
    const agent = new http.Agent({ keepAlive: true, maxSockets: SIZE });
    const t0 = process.hrtime.bigint();
    const latencies = [];
    const answers = await Promise.all(
      Array.from({ length: SIZE }, async () => {
        const res = await postJson(agent, `${api.url}/api/webhook/tradingview`, body, TIMEOUT_MS);
        latencies.push(sinceMs(t0));
        return res;
      }),
    );
    const wallMs = sinceMs(t0);
    agent.destroy();
    const statuses = {};
    const alertIds = new Set();
    for (const a of answers) {
      const key = a.status === 0 ? `no answer (${a.body})` : a.status;
      statuses[key] = (statuses[key] ?? 0) + 1;
      try {
        const id = JSON.parse(a.body).alert_id;
        if (id) alertIds.add(id);
      } catch {
        // not JSON: counted by status above
      }
    }
    const l = summarize(latencies);
    console.log(
      `${SIZE} concurrent identical alerts answered in ${(wallMs / 1000).toFixed(2)} s (last answer); answers: ${JSON.stringify(statuses)}`,
    );
    console.log(`answer time from the start of the storm: p50 ${ms(l.p50)}, p99 ${ms(l.p99)}, max ${ms(l.max)}`);
    // Let the one execution finish, then count through the public API and in the database
    await new Promise((r) => setTimeout(r, 1500));
    const total = await executionCount(api.url, token, strategy.id).catch((error) => `query failed (${error.message})`);
    const c = new Client({ connectionString: api.dbUrl });
    await c.connect();
    const db = await c.query(
      `select (select count(*)::int from alerts where strategy_id = $1) as alerts,
      (select count(*)::int from executions where strategy_id = $1) as executions,
      (select string_agg(status, ',') from executions where strategy_id = $1) as statuses`,
      [strategy.id],
    );
    await c.end();
    console.log(
      `distinct alert_id in the answers: ${alertIds.size}; executions(filter:{strategyId}).totalCount = ${total}; ` +
        `database: ${db.rows[0].alerts} alert row(s), ${db.rows[0].executions} execution(s) [${db.rows[0].statuses ?? ''}]`,
    );
    const ok = total === 1 && (statuses[202] ?? 0) === 1 && (statuses[200] ?? 0) === SIZE - 1 && alertIds.size === 1;
    console.log(
      `${SIZE === 1000 ? 'target' : 'check'}: exactly 1 execution, one 202 and ${SIZE - 1} duplicates (200) naming the same alert -> ${ok ? 'MET' : total === 1 ? 'NOT MET (1 execution, but not every delivery got its answer)' : 'NOT MET'}`,
    );
  } catch (error) {
    console.log(`api output (tail):\n${api.output().slice(-3000)}`);
    throw error;
  } finally {
    cleanExit = await api.stop();
  }
  if (process.env.BENCH_SHOW_API_LOG) console.log(api.output().slice(-4000));
  if (!cleanExit) console.log('api: did not exit within 3 s of SIGTERM (killed); see bench/README.md');
}

withBudget('webhook-duplicates', 115_000, main);
