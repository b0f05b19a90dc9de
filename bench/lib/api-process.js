// The real api (built output, api/dist/main.js) as a child process on a fresh database that is dropped at stop().
'use strict';

const path = require('node:path');
const fs = require('node:fs');
const { randomBytes } = require('node:crypto');
const { createDatabase, dropDatabase } = require('./pg-admin');
const { freePort } = require('./free-port');
const { startChild, waitReady, stopChild } = require('./child-process');

const ROOT = path.join(__dirname, '..', '..');
// BENCH_API_MAIN: another build of the api to measure (e.g. a candidate fix built elsewhere)
const MAIN = process.env.BENCH_API_MAIN
  ? path.resolve(process.env.BENCH_API_MAIN)
  : path.join(ROOT, 'api', 'dist', 'main.js');

const ADMIN_EMAIL = 'bench-admin@algodatta.local';
const ADMIN_PASSWORD = `bench-${randomBytes(6).toString('hex')}`;

// nodeArgs: e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] to profile the api under load. A profile is written
// only on a clean exit, and in production mode the api does not exit on SIGTERM (Apollo's own signal handler
// races main.ts's, see bench/README.md), so profiling runs pass env { NODE_ENV: 'test' }.
// dbPort: reach PostgreSQL through another local port (the statement-counting proxy)
// BENCH_API_NODE_ARGS: extra node flags for every api a bench starts (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof")
const EXTRA_NODE_ARGS = (process.env.BENCH_API_NODE_ARGS || '').split(' ').filter(Boolean);
// BENCH_API_READY_MS: how long a start may take before /readyz answers (on a machine loaded by other work a start took
// 30-80 s)
const READY_MS = Number(process.env.BENCH_API_READY_MS || 60_000);

async function startApi({ nodeArgs = [], env = {}, dbPort } = {}) {
  nodeArgs = [...EXTRA_NODE_ARGS, ...nodeArgs];
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: build the api first (npx tsc -b api)`);
  const db = await createDatabase('bench_api');
  let handle;
  try {
    const port = await freePort();
    const apiEnv = {
      NODE_ENV: 'production',
      DATABASE_URL: dbPort ? db.url.replace(/:\d+\//, `:${dbPort}/`) : db.url,
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      SECRET_KEY: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      SEED_ADMIN_EMAIL: ADMIN_EMAIL,
      SEED_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
      // Loopback only: the paper broker alone, and nothing pointed at DhanHQ
      BROKER_PLUGINS: '@algodatta/broker-paper',
      DHAN_BASE_URL: 'http://127.0.0.1:9/v2',
      DHAN_INSTRUMENTS_URL: 'http://127.0.0.1:9/api-scrip-master.csv',
      // Figures must not depend on the time of day: paper fills outside exchange sessions too
      PAPER_MARKET_HOURS: 'ignore',
      ...env,
    };
    const spawnApi = async () => {
      handle = startChild('api', [...nodeArgs, MAIN], apiEnv, { cwd: ROOT });
      await waitReady(handle, `http://127.0.0.1:${port}/readyz`, READY_MS);
    };
    await spawnApi();
    return {
      url: `http://127.0.0.1:${port}`,
      wsUrl: `ws://127.0.0.1:${port}/graphql`,
      port,
      dbUrl: db.url,
      dbName: db.name,
      get pid() {
        return handle.child.pid;
      },
      admin: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
      output: () => handle.output(),
      // The same api (port, keys: tokens stay valid) started again on the same database, as after a deploy
      async restart({ graceMs = 3000 } = {}) {
        await stopChild(handle, graceMs);
        await spawnApi();
      },
      // SIGTERM, SIGKILL after graceMs; resolves true if the api exited by itself
      async stop({ graceMs = 3000 } = {}) {
        try {
          return await stopChild(handle, graceMs);
        } finally {
          await dropDatabase(db.name);
        }
      },
    };
  } catch (error) {
    if (handle) await stopChild(handle, 1000);
    await dropDatabase(db.name);
    throw error;
  }
}

module.exports = { startApi, ROOT };
