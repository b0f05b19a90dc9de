#!/usr/bin/env node
// The dashboard's budgets (issue 16): the first server-rendered load of a page (< 500 ms on loopback for the
// executions and reports pages), the client JavaScript each page loads (< 300 KB gzip, the chart code the reports
// page loads after hydration included), and the reports page with 1,000,000 executions behind it (< 1 s).
// Starts the built api and the built dashboard on a fresh database, signs a trader in through the login form, sends
// real alerts through the webhook, then adds BENCH_DASHBOARD_ROWS executions (default 100,000) to the trader's
// strategy in bulk, and loads each page with the session cookie: the first load after the dashboard started, then
// BENCH_DASHBOARD_LOADS more (default 20). Then it writes BENCH_DASHBOARD_REPORT_EXECUTIONS more (default
// 1,000,000, with their round trips; bench/lib/report-data.js) and loads the reports page as the trader, for the
// trader's busiest strategy, and as the admin (every user's trips): after restarting the api on that data and
// letting its keeper build the large scopes' kept figures, then right after a second restart (the first report
// of a start).
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
const { generate } = require('./lib/report-data');

const ROWS = Number(process.env.BENCH_DASHBOARD_ROWS || 100_000);
const LOADS = Number(process.env.BENCH_DASHBOARD_LOADS || 20);
const REPORT_EXECUTIONS = Number(process.env.BENCH_DASHBOARD_REPORT_EXECUTIONS || 1_000_000);
const REPORT_LOADS = Number(process.env.BENCH_DASHBOARD_REPORT_LOADS || 5);
const ALERTS = 200;
// BENCH_WEB_START: another start script in web/server (an older one, to compare)
const WEB_START = process.env.BENCH_WEB_START || path.join(ROOT, 'web', 'server', 'start.js');
const BUDGET_SSR_MS = 500;
const BUDGET_JS_KB = 300;
const BUDGET_REPORT_MS = 1000;
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36';

async function main() {
  console.log(`dashboard pages: ${await machineLine()}`);
  if (!fs.existsSync(path.join(ROOT, 'web', 'build', 'server', 'index.js')))
    throw new Error('web/build is missing: npm run build first');
  const api = await startApi({ env: { PAPER_MARKET_HOURS: 'ignore' } });
  let web;
  try {
    const email = `bench-${randomBytes(3).toString('hex')}@algodatta.local`;
    const password = 'bench-password-1';
    const session = (
      await gql(api.url, 'mutation($i: RegisterInput!) { register(input: $i) { accessToken user { id } } }', {
        i: { email, password },
      })
    ).register;
    const strategy = await deployedStrategy(api.url, session.accessToken, 'bench dashboard');
    await sendAlerts(api.url, strategy.secret);
    const t0 = Date.now();
    await bulkExecutions(api.dbUrl, strategy.id, ROWS);
    console.log(
      `seeded ${ALERTS} alerts through the webhook and ${ROWS.toLocaleString('en-IN')} executions in bulk (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    );
    const execution = (
      await gql(api.url, '{ executions(first: 1) { edges { node { id } } } }', {}, session.accessToken)
    ).executions.edges[0].node.id;

    const port = await freePort();
    const webEnv = {
      WEB_PORT: String(port),
      API_URL: `${api.url}/graphql`,
      NODE_ENV: 'production',
      SESSION_SECRET: randomBytes(24).toString('hex'),
      SESSION_COOKIE_SECURE: 'false',
    };
    const webUrl = `http://127.0.0.1:${port}`;
    const startWeb = async () => {
      web = startChild('web', [WEB_START], webEnv, { cwd: ROOT });
      await waitReady(web, `${webUrl}/login`, 30_000);
    };
    await startWeb();
    const cookie = await signIn(webUrl, email, password);

    const pages = [
      '/executions',
      '/reports',
      '/',
      '/strategies',
      `/strategies/${strategy.id}`,
      '/positions',
      `/executions/${execution}`,
      '/broker',
      '/notifications',
      '/account',
    ];
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
      const later = js.lazyGzip ? ` + ${(js.lazyGzip / 1024).toFixed(1)} KB after hydration` : '';
      console.log(
        `| ${name} | ${ms(first.ms)} | ${ms(s.p50)} | ${ms(s.p90)} | ${ms(s.max)} | ${(first.html.length / 1024).toFixed(1)} KB | ${(js.gzip / 1024).toFixed(1)} KB in ${js.files} files${later} |`,
      );
      if ((page === '/executions' || page === '/reports') && first.ms > BUDGET_SSR_MS)
        failures.push(`${name}: first load ${first.ms.toFixed(0)} ms > ${BUDGET_SSR_MS} ms`);
      if ((js.gzip + js.lazyGzip) / 1024 > BUDGET_JS_KB)
        failures.push(`${name}: ${((js.gzip + js.lazyGzip) / 1024).toFixed(0)} KB of JS > ${BUDGET_JS_KB} KB`);
    }

    // What is cold after a start, apart: the dashboard restarted alone (the api warm), then the api restarted alone
    // (the dashboard warm); each time the first load of /executions, then the next (readiness is the same in both:
    // the web answering /login, the api answering /readyz)
    const cold = [];
    console.log('');
    for (const [what, restart] of [
      [
        'dashboard restarted',
        async () => {
          await stopChild(web, 3000);
          await startWeb();
        },
      ],
      ['api restarted', () => api.restart()],
    ]) {
      await restart();
      // CPU time each process spent on the load too: on a machine others load, wall times say more about them
      const cpu = () => ({ web: cpuMs(web.child.pid), api: cpuMs(api.pid) });
      const before = cpu();
      const first = await load(`${webUrl}/executions`, cookie);
      const between = cpu();
      const second = await load(`${webUrl}/executions`, cookie);
      const after = cpu();
      const spent = (a, b) => `CPU web ${b.web - a.web} ms, api ${b.api - a.api} ms`;
      cold.push(
        `${what}: ${ms(first.ms)} (${spent(before, between)}) then ${ms(second.ms)} (${spent(between, after)})`,
      );
      console.log(`first and second load of /executions right after a restart, ${cold.at(-1)}`);
      if (first.ms > BUDGET_SSR_MS)
        failures.push(
          `/executions after the ${what.replace(' restarted', '')} restarted: ${first.ms.toFixed(0)} ms > ${BUDGET_SSR_MS} ms`,
        );
    }
    if (REPORT_EXECUTIONS === 0) {
      console.log(
        `\nbudgets (BENCH_DASHBOARD_REPORT_EXECUTIONS=0: the pages only): ${failures.length ? `OVER: ${failures.join('; ')}` : 'met'}`,
      );
      return;
    }

    // The reports page over a million executions (half a million round trips, a year)
    const db = new Client({ connectionString: api.dbUrl });
    await db.connect();
    let busiest;
    try {
      busiest = await generate(db, {
        traderId: session.user.id,
        executions: REPORT_EXECUTIONS,
        strategies: 50,
        busiestShare: 0.1,
        log: console.log,
      });
    } finally {
      await db.end();
    }
    const adminCookie = await signIn(webUrl, api.admin.email, api.admin.password);
    const reportPages = [
      ["the trader's busiest strategy", `/reports?strategyId=${busiest}`, cookie, [session.user.id, busiest]],
      ['the trader (10 strategies)', '/reports', cookie, [session.user.id, null]],
      ['admin, every user', '/reports', adminCookie, [null, null]],
    ];
    // The data arrived while the api ran; it starts again (a deploy) and its keeper builds the figures of the
    // large scopes' old trips in the background (api/src/modules/reports/report-prefix-keeper.ts)
    const restartedAt = new Date();
    await api.restart();
    const readyMs = Date.now() - restartedAt.getTime();
    const keys = reportPages.map(([, , , [userId, strategyId]]) =>
      JSON.stringify([userId, strategyId, null, null, null, null]),
    );
    const kept = await waitKept(api.dbUrl, keys, restartedAt, 240_000);
    console.log(
      `\napi restarted on the data: ready in ${ms(readyMs)}; the keeper kept the figures of ${kept.scopes} scopes, the last ${(kept.lastMs / 1000).toFixed(1)} s after the start (its first round begins 10 s after it)`,
    );
    console.log(
      `\n| reports page, ${REPORT_EXECUTIONS.toLocaleString('en-IN')} more executions behind it | round trips | first load: shell / complete | p50 of ${REPORT_LOADS}: shell / complete | max complete |`,
    );
    console.log('| --- | --- | --- | --- | --- |');
    for (const [label, path, who] of reportPages) {
      const first = await load(webUrl + path, who);
      const samples = [];
      const shells = [];
      for (let i = 0; i < REPORT_LOADS; i++) {
        const sample = await load(webUrl + path, who);
        samples.push(sample.ms);
        shells.push(sample.firstByteMs);
      }
      const s = summarize(samples);
      const trips = /Showing (?:<!-- -->)?\d+(?:<!-- -->)? of (?:<!-- -->)?(\d+)/.exec(first.html)?.[1] ?? '?';
      console.log(
        `| ${label} | ${Number(trips).toLocaleString('en-IN')} | ${ms(first.firstByteMs)} / ${ms(first.ms)} | ${ms(summarize(shells).p50)} / ${ms(s.p50)} | ${ms(s.max)} |`,
      );
      if (s.p50 > BUDGET_REPORT_MS)
        failures.push(`reports page, ${label}: p50 ${s.p50.toFixed(0)} ms > ${BUDGET_REPORT_MS} ms`);
    }
    // A restart with the figures kept: each page's first load comes before the keeper's first round
    await api.restart();
    const afterRestart = [];
    for (const [label, path, who] of reportPages) {
      const first = await load(webUrl + path, who);
      afterRestart.push(`${label} ${ms(first.firstByteMs)} / ${ms(first.ms)}`);
      if (first.ms > BUDGET_REPORT_MS)
        failures.push(
          `reports page right after a restart, ${label}: ${first.ms.toFixed(0)} ms > ${BUDGET_REPORT_MS} ms`,
        );
    }
    console.log(
      `\nfirst load of each reports page right after another restart (shell / complete): ${afterRestart.join('; ')}`,
    );
    // The CSV export through the dashboard (the admin's, every execution): read at full speed, then by a browser
    // that stops reading after 5 MB for 10 s; the dashboard's memory must not take up what the browser does not
    for (const pause of [0, 10_000]) {
      const figures = await exportThroughDashboard(
        `${webUrl}/resources/report-export`,
        adminCookie,
        web.child.pid,
        pause,
      );
      console.log(
        `export through the dashboard, admin, every execution${pause ? `, the browser pausing ${pause / 1000} s after 5 MB (then leaving)` : ''}: ${figures}`,
      );
    }
    console.log(
      `\nbudgets (first load of /executions and /reports < ${BUDGET_SSR_MS} ms, client JS per page < ${BUDGET_JS_KB} KB gzip, ` +
        `the reports page over ${REPORT_EXECUTIONS.toLocaleString('en-IN')} executions < ${BUDGET_REPORT_MS} ms): ${failures.length ? `OVER: ${failures.join('; ')}` : 'met'}`,
    );
  } finally {
    if (web) await stopChild(web, 3000);
    await api.stop();
  }
}

async function sendAlerts(apiUrl, secret) {
  for (let i = 0; i < ALERTS; i += 20) {
    await Promise.all(
      Array.from({ length: 20 }, (_, j) =>
        fetch(`${apiUrl}/api/webhook/tradingview`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            secret,
            idempotency_key: `bench-${i + j}`,
            symbol: 'RELIANCE',
            side: (i + j) % 2 ? 'SELL' : 'BUY',
            qty: 1,
            price: 2500 + ((i + j) % 7),
          }),
        }).then((r) => r.arrayBuffer()),
      ),
    );
  }
}

// Copies of the newest alert and its execution, spread over the last 30 days, in one statement each: the
// executions page then counts and pages over a table of this size
async function bulkExecutions(dbUrl, strategyId, rows) {
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    // Copies of a settled execution: a copy of one still working would be picked up (100,000 times) by the
    // recovery sweep, and the api would be writing fills while the report data is loaded
    for (const deadline = Date.now() + 120_000; ;) {
      const working = (
        await c.query(
          `select count(*)::int as n from executions where status in ('PENDING', 'PLACED', 'PARTIALLY_FILLED')`,
        )
      ).rows[0].n;
      if (working === 0) break;
      if (Date.now() > deadline) throw new Error(`${working} executions still working 120 s after the alerts`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const columns = async (table) =>
      (
        await c.query(
          'select column_name from information_schema.columns where table_name = $1 order by ordinal_position',
          [table],
        )
      ).rows.map((r) => r.column_name);
    const copy = (cols, replaced) => cols.map((col) => replaced[col] ?? `t.${col}`).join(', ');
    const at = `now() - (g * interval '26 seconds')`;
    const alertCols = await columns('alerts');
    await c.query(
      `insert into alerts (${alertCols.join(', ')})
      select ${copy(alertCols, { id: `md5('a' || g)::uuid`, idempotency_key: `'bulk-' || g`, created_at: at, updated_at: at, received_at: at })}
      from (select * from alerts where strategy_id = $1 order by created_at desc limit 1) t cross join generate_series(1, $2) g`,
      [strategyId, rows],
    );
    const executionCols = await columns('executions');
    await c.query(
      `insert into executions (${executionCols.join(', ')})
      select ${copy(executionCols, { id: `md5('e' || g)::uuid`, alert_id: `md5('a' || g)::uuid`, client_order_id: `'bulk' || g`, created_at: at, updated_at: at })}
      from (select * from executions where strategy_id = $1 order by created_at desc limit 1) t cross join generate_series(1, $2) g`,
      [strategyId, rows],
    );
    await c.query('analyze alerts; analyze executions');
  } finally {
    await c.end();
  }
}

// Through the login form, as a browser does: the session cookie from the redirect
// Waits until report_prefixes holds every key, built after `since`; the scopes built since then and when the last was
async function waitKept(dbUrl, keys, since, timeoutMs) {
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  try {
    for (const deadline = Date.now() + timeoutMs; ;) {
      const { rows } = await db.query(
        `select count(*)::int as scopes, count(*) filter (where scope_key = any($2))::int as wanted, max(built_at) as last
        from report_prefixes where built_at >= $1`,
        [since, keys],
      );
      if (rows[0].wanted === keys.length) return { scopes: rows[0].scopes, lastMs: rows[0].last - since };
      if (Date.now() > deadline)
        throw new Error(`report prefixes not kept after ${timeoutMs} ms: ${JSON.stringify(rows[0])}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await db.end();
  }
}

async function signIn(webUrl, email, password) {
  const res = await fetch(`${webUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password, redirectTo: '/' }).toString(),
  });
  const cookie = res.headers.get('set-cookie');
  if (res.status !== 302 || !cookie) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return cookie.split(';')[0];
}

// ms: until the whole document arrived (a streamed part included); firstByteMs: until the response began (the
// page's shell, with everything but a streamed part)
async function load(url, cookie) {
  const t0 = process.hrtime.bigint();
  // A browser's user agent: Remix sends a bot (Node's fetch says "node") the whole document at once, unstreamed
  const res = await fetch(url, { headers: { cookie, accept: 'text/html', 'user-agent': BROWSER }, redirect: 'manual' });
  const reader = res.body.getReader();
  const first = await reader.read();
  const firstByteMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const chunks = first.value ? [Buffer.from(first.value)] : [];
  for (let next = first; !next.done;) {
    next = await reader.read();
    if (next.value) chunks.push(Buffer.from(next.value));
  }
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  return { ms: elapsed, firstByteMs, html: Buffer.concat(chunks).toString() };
}

// User + system CPU time of a process so far, in ms (/proc/<pid>/stat, clock ticks of 10 ms)
const cpuMs = (pid) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);

// Downloads as a browser would (gzip accepted), sampling the dashboard's RSS every 50 ms. pauseMs: after 5 MB the
// reader stops for that long and then leaves, as a slow or abandoned download does
async function exportThroughDashboard(url, cookie, webPid, pauseMs) {
  const baseline = rssKb(webPid);
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssKb(webPid));
  }, 50);
  const t0 = process.hrtime.bigint();
  const controller = new AbortController();
  let bytes = 0;
  let lines = 0;
  try {
    const res = await fetch(url, { headers: { cookie, 'user-agent': BROWSER }, signal: controller.signal });
    if (res.status !== 200) throw new Error(`export: HTTP ${res.status}`);
    for await (const chunk of res.body) {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
      if (pauseMs && bytes > 5e6) {
        await new Promise((r) => setTimeout(r, pauseMs));
        controller.abort();
        break;
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearInterval(sampler);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
  const speed = pauseMs ? '' : `, ${Math.round((lines - 1) / seconds).toLocaleString('en-IN')} rows/s`;
  return `${(lines - 1).toLocaleString('en-IN')} rows, ${(bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(1)} s${speed}; dashboard RSS ${mb(baseline)} -> peak ${mb(peak)} (+${mb(peak - baseline)})`;
}

// Every script the page's HTML loads or preloads (entry, root, route, shared chunks), gzipped as served; and,
// apart, the chunks those scripts import on demand (the reports page's chart library, after hydration)
async function clientJs(webUrl, html) {
  const urls = new Set([...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]));
  for (const m of html.matchAll(/import\("(\/assets\/[^"]+\.js)"\)/g)) urls.add(m[1]);
  const lazy = new Set();
  let gzip = 0;
  let lazyGzip = 0;
  const queue = [...urls];
  while (queue.length) {
    const u = queue.shift();
    const body = Buffer.from(await (await fetch(webUrl + u)).arrayBuffer());
    const size = zlib.gzipSync(body).length;
    if (lazy.has(u)) lazyGzip += size;
    else gzip += size;
    for (const m of body.toString().matchAll(/import\("\.\/([^"]+\.js)"\)/g)) {
      const next = `/assets/${m[1]}`;
      if (!urls.has(next) && !lazy.has(next)) {
        lazy.add(next);
        queue.push(next);
      }
    }
  }
  return { gzip, files: urls.size, lazyGzip };
}

// BENCH_DASHBOARD_BUDGET_MS: more time on a machine that others load (the data alone took 120 s at load 8)
withBudget('dashboard-pages', Number(process.env.BENCH_DASHBOARD_BUDGET_MS || 200_000), main);
