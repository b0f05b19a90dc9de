#!/usr/bin/env node
// The dashboard's budgets (issue 16): the first server-rendered load of a page (< 500 ms on loopback for the
// executions page) and the client JavaScript each page loads (< 300 KB gzip). Starts the built api and the built
// dashboard on a fresh database, signs a trader in through the login form, sends real alerts through the webhook,
// then adds BENCH_DASHBOARD_ROWS executions (default 100,000) to the trader's strategy in bulk, and loads each page
// with the session cookie: the first load after the dashboard started, then BENCH_DASHBOARD_LOADS more (default 20).
//   npm run build && node bench/dashboard-pages.js
'use strict';

const path = require('node:path');
const fs = require('node:fs');
const zlib = require('node:zlib');
const { randomBytes } = require('node:crypto');
const { Client } = require('pg');
const { startApi, ROOT } = require('./lib/api-process');
const { startChild, waitReady, stopChild } = require('./lib/child-process');
const { freePort } = require('./lib/free-port');
const { gql, deployedStrategy } = require('./lib/graphql-client');
const { summarize, ms } = require('./lib/stats');
const { machineLine } = require('./lib/machine');
const { withBudget } = require('./lib/budget');

const ROWS = Number(process.env.BENCH_DASHBOARD_ROWS || 100_000);
const LOADS = Number(process.env.BENCH_DASHBOARD_LOADS || 20);
const ALERTS = 200;
const WEB_START = path.join(ROOT, 'web', 'server', 'start.js');
const BUDGET_SSR_MS = 500;
const BUDGET_JS_KB = 300;

async function main() {
  console.log(`dashboard pages: ${await machineLine()}`);
  if (!fs.existsSync(path.join(ROOT, 'web', 'build', 'server', 'index.js'))) throw new Error('web/build is missing: npm run build first');
  const api = await startApi({ env: { PAPER_MARKET_HOURS: 'ignore' } });
  let web;
  try {
    const email = `bench-${randomBytes(3).toString('hex')}@algodatta.local`;
    const password = 'bench-password-1';
    const session = (await gql(api.url, 'mutation($i: RegisterInput!) { register(input: $i) { accessToken } }', { i: { email, password } })).register;
    const strategy = await deployedStrategy(api.url, session.accessToken, 'bench dashboard');
    await sendAlerts(api.url, strategy.secret);
    const t0 = Date.now();
    await bulkExecutions(api.dbUrl, strategy.id, ROWS);
    console.log(`seeded ${ALERTS} alerts through the webhook and ${ROWS.toLocaleString('en-IN')} executions in bulk (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    const execution = (await gql(api.url, '{ executions(first: 1) { edges { node { id } } } }', {}, session.accessToken)).executions.edges[0].node.id;

    const port = await freePort();
    web = startChild('web', [WEB_START], {
      WEB_PORT: String(port), API_URL: `${api.url}/graphql`, NODE_ENV: 'production', SESSION_SECRET: randomBytes(24).toString('hex'),
      SESSION_COOKIE_SECURE: 'false',
    }, { cwd: ROOT });
    const webUrl = `http://127.0.0.1:${port}`;
    await waitReady(web, `${webUrl}/login`, 30_000);
    const cookie = await signIn(webUrl, email, password);

    const pages = ['/executions', '/', '/strategies', `/strategies/${strategy.id}`, '/positions', `/executions/${execution}`, '/broker', '/account'];
    console.log(`\n| page | first load | p50 of ${LOADS} | p90 | max | HTML | client JS (gzip) |`);
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    const failures = [];
    for (const page of pages) {
      const first = await load(webUrl + page, cookie);
      const samples = [];
      for (let i = 0; i < LOADS; i++) samples.push((await load(webUrl + page, cookie)).ms);
      const s = summarize(samples);
      const js = await clientJs(webUrl, first.html);
      const name = page.replace(/[0-9a-f-]{36}/, ':id');
      console.log(`| ${name} | ${ms(first.ms)} | ${ms(s.p50)} | ${ms(s.p90)} | ${ms(s.max)} | ${(first.html.length / 1024).toFixed(1)} KB | ${(js.gzip / 1024).toFixed(1)} KB in ${js.files} files |`);
      if (page === '/executions' && first.ms > BUDGET_SSR_MS) failures.push(`${name}: first load ${first.ms.toFixed(0)} ms > ${BUDGET_SSR_MS} ms`);
      if (js.gzip / 1024 > BUDGET_JS_KB) failures.push(`${name}: ${(js.gzip / 1024).toFixed(0)} KB of JS > ${BUDGET_JS_KB} KB`);
    }
    console.log(`\nbudgets (first load of /executions < ${BUDGET_SSR_MS} ms, client JS per page < ${BUDGET_JS_KB} KB gzip): ${failures.length ? `OVER: ${failures.join('; ')}` : 'met'}`);
  } finally {
    if (web) await stopChild(web, 3000);
    await api.stop();
  }
}

async function sendAlerts(apiUrl, secret) {
  for (let i = 0; i < ALERTS; i += 20) {
    await Promise.all(Array.from({ length: 20 }, (_, j) => fetch(`${apiUrl}/api/webhook/tradingview`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ secret, idempotency_key: `bench-${i + j}`, symbol: 'RELIANCE', side: (i + j) % 2 ? 'SELL' : 'BUY', qty: 1, price: 2500 + ((i + j) % 7) }),
    }).then((r) => r.arrayBuffer())));
  }
}

// Copies of the newest alert and its execution, spread over the last 30 days, in one statement each: the
// executions page then counts and pages over a table of this size
async function bulkExecutions(dbUrl, strategyId, rows) {
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const columns = async (table) => (await c.query('select column_name from information_schema.columns where table_name = $1 order by ordinal_position', [table])).rows.map((r) => r.column_name);
    const copy = (cols, replaced) => cols.map((col) => replaced[col] ?? `t.${col}`).join(', ');
    const at = `now() - (g * interval '26 seconds')`;
    const alertCols = await columns('alerts');
    await c.query(`insert into alerts (${alertCols.join(', ')})
      select ${copy(alertCols, { id: `md5('a' || g)::uuid`, idempotency_key: `'bulk-' || g`, created_at: at, updated_at: at, received_at: at })}
      from (select * from alerts where strategy_id = $1 order by created_at desc limit 1) t cross join generate_series(1, $2) g`, [strategyId, rows]);
    const executionCols = await columns('executions');
    await c.query(`insert into executions (${executionCols.join(', ')})
      select ${copy(executionCols, { id: `md5('e' || g)::uuid`, alert_id: `md5('a' || g)::uuid`, client_order_id: `'bulk' || g`, created_at: at, updated_at: at })}
      from (select * from executions where strategy_id = $1 order by created_at desc limit 1) t cross join generate_series(1, $2) g`, [strategyId, rows]);
    await c.query('analyze alerts; analyze executions');
  } finally {
    await c.end();
  }
}

// Through the login form, as a browser does: the session cookie from the redirect
async function signIn(webUrl, email, password) {
  const res = await fetch(`${webUrl}/login`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password, redirectTo: '/' }).toString(),
  });
  const cookie = res.headers.get('set-cookie');
  if (res.status !== 302 || !cookie) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return cookie.split(';')[0];
}

async function load(url, cookie) {
  const t0 = process.hrtime.bigint();
  const res = await fetch(url, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' });
  const html = await res.text();
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  return { ms: elapsed, html };
}

// Every script the page's HTML loads or preloads (entry, root, route, shared chunks), gzipped as served
async function clientJs(webUrl, html) {
  const urls = new Set([...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]));
  for (const m of html.matchAll(/import\("(\/assets\/[^"]+\.js)"\)/g)) urls.add(m[1]);
  let gzip = 0;
  for (const u of urls) {
    const body = Buffer.from(await (await fetch(webUrl + u)).arrayBuffer());
    gzip += zlib.gzipSync(body).length;
  }
  return { gzip, files: urls.size };
}

withBudget('dashboard-pages', 115_000, main);
