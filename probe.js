// in-process probe: statement timings and per-alert phases (not committed)
'use strict';
const pg = require('pg');
const { createDatabase, dropDatabase } = require('./bench/lib/pg-admin');
const { login, deployedStrategy } = require('./bench/lib/graphql-client');
const { postJson } = require('./bench/lib/http-load');
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
  process.env.DATABASE_URL = db.url; process.env.NODE_ENV = 'production'; process.env.LOG_LEVEL = 'warn';
  process.env.PORT = '0'; process.env.SECRET_KEY = 'ab'.repeat(32); process.env.ENCRYPTION_KEY = 'cd'.repeat(32);
  process.env.SEED_ADMIN_EMAIL = 'admin@example.com'; process.env.SEED_ADMIN_PASSWORD = 'admin-password-123';
  const { startApi } = require('./api/dist/app/start-api');
  const api = await startApi(process.env);
  try {
    const token = await login(api.url, 'admin@example.com', 'admin-password-123');
    const strategy = await deployedStrategy(api.url, token, 'probe');
    const N = Number(process.env.N || 60);
    const acks = []; const agent = new (require('node:http').Agent)({ keepAlive: true });
    for (let i = 0; i < N; i++) {
      const t0 = process.hrtime.bigint();
      const res = await postJson(agent, `${api.url}/api/webhook/tradingview`, JSON.stringify({ secret: strategy.secret, idempotency_key: `k${i}`, symbol: 'RELIANCE', side: i % 2 ? 'SELL' : 'BUY', qty: 1, price: 2500 }));
      acks.push(Number(process.hrtime.bigint() - t0) / 1e6);
      await new Promise((r) => setTimeout(r, 100));
      if (i === 9) stats.clear();
    }
    acks.sort((a, b) => a - b);
    console.log('ack p50', acks[Math.floor(acks.length / 2)].toFixed(2), 'max', acks[acks.length - 1].toFixed(2));
    for (const [k, s] of [...stats.entries()].sort((a, b) => b[1].sum - a[1].sum)) console.log((s.sum / s.n).toFixed(2).padStart(7), 'ms avg', String(s.n).padStart(5), k);
  } finally {
    await api.stop();
    await dropDatabase(db.name);
  }
})().then(() => process.exit(0)).catch((e) => { console.error(e); process.exit(1); });
