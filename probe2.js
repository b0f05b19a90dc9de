'use strict';
const { createDatabase, dropDatabase } = require('./bench/lib/pg-admin');
const { login, deployedStrategy } = require('./bench/lib/graphql-client');
const { postJson } = require('./bench/lib/http-load');
const pg = require('pg');
const stats = new Map();
const orig = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, values, cb) {
  const text = typeof config === 'string' ? config : config && config.text;
  const t0 = process.hrtime.bigint();
  const record = () => {
    const key = (text || '').trim().replace(/\s+/g, ' ').slice(0, 50);
    const d = Number(process.hrtime.bigint() - t0) / 1e6;
    const s = stats.get(key) || { n: 0, sum: 0 };
    s.n++; s.sum += d; stats.set(key, s);
  };
  if (typeof values === 'function') { const f = values; values = function (...a) { record(); return f.apply(this, a); }; return orig.call(this, config, values, cb); }
  if (typeof cb === 'function') { const f = cb; cb = function (...a) { record(); return f.apply(this, a); }; return orig.call(this, config, values, cb); }
  const r = orig.call(this, config, values, cb);
  if (r && typeof r.then === 'function' && text) {
    const key = text.trim().replace(/\s+/g, ' ').slice(0, 50);
    r.then(() => {
      const d = Number(process.hrtime.bigint() - t0) / 1e6;
      const s = stats.get(key) || { n: 0, sum: 0 };
      s.n++; s.sum += d; stats.set(key, s);
    }, () => {});
  }
  return r;
};
(async () => {
  const db = await createDatabase('probe');
  Object.assign(process.env, { DATABASE_URL: db.url, NODE_ENV: 'production', LOG_LEVEL: 'warn', PORT: '0', SECRET_KEY: 'ab'.repeat(32), ENCRYPTION_KEY: 'cd'.repeat(32),
    SEED_ADMIN_EMAIL: 'admin@example.com', SEED_ADMIN_PASSWORD: 'admin-password-123', DHAN_INSTRUMENTS_ON_START: 'false' });
  const { startApi } = require('./api/dist/app/start-api');
  const api = await startApi(process.env);
  try {
    const token = await login(api.url, 'admin@example.com', 'admin-password-123');
    const strategy = await deployedStrategy(api.url, token, 'probe');
    const agent = new (require('node:http').Agent)({ keepAlive: true });
    const N = Number(process.env.N || 300), rate = Number(process.env.RATE || 100);
    const sends = [];
    const t0 = Date.now();
    for (let i = 0; i < N; i++) {
      const due = t0 + (i * 1000) / rate;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      sends.push(postJson(agent, `${api.url}/api/webhook/tradingview`, JSON.stringify({ secret: strategy.secret, idempotency_key: `k${i}`, symbol: 'RELIANCE', side: i % 2 ? 'SELL' : 'BUY', qty: 1, price: 2500 })));
    }
    const acks = await Promise.all(sends.map(async (p) => { const t = Date.now(); await p; return Date.now() - t; }));

    await new Promise((r) => setTimeout(r, Number(process.env.SETTLE || 8000)));
    const rows = await api.db.sql.query("select status, count(*)::int n from executions group by status");
    console.log('executions', JSON.stringify(rows));
    const ev = await api.db.sql.query("select type, count(*)::int n from execution_events group by type");
    console.log('events', JSON.stringify(ev));
    for (const [k, s] of [...stats.entries()].sort((a, b) => b[1].sum - a[1].sum).slice(0, 25)) console.log((s.sum / s.n).toFixed(2).padStart(7), 'ms avg', String(s.n).padStart(5), k);
    const lat = await api.db.sql.query("select extract(epoch from (f.at - a.at))*1000 as ms from execution_events a join execution_events f on f.execution_id = a.execution_id and f.type = 'ORDER_FILLED' where a.type = 'ALERT_RECEIVED' order by 1");
    const buckets = await api.db.sql.query("select floor(extract(epoch from a.at - (select min(at) from execution_events))*2)/2 as t, round(max(extract(epoch from (f.at - a.at))*1000)::numeric, 1) as max_ms, round(avg(extract(epoch from (f.at - a.at))*1000)::numeric,1) as avg_ms, count(*) from execution_events a join execution_events f on f.execution_id = a.execution_id and f.type = 'ORDER_FILLED' where a.type = 'ALERT_RECEIVED' group by 1 order by 1");
    console.log(buckets.map((b) => `${b.t}s:${b.avg_ms}/${b.max_ms}`).join('  '));
    const ms = lat.map((r) => Number(r.ms)); console.log('db alert->fill event p50', ms[Math.floor(ms.length/2)].toFixed(1), 'p99', ms[Math.floor(ms.length*0.99)].toFixed(1));
  } finally {
    await api.stop();
    await dropDatabase(db.name);
  }
})().then(() => process.exit(0)).catch((e) => { console.error(e); process.exit(1); });
