#!/usr/bin/env node
// `npm run demo`: the whole product on this machine from one command. A local DhanHQ simulator, the api on an
// embedded PostgreSQL (its own folder, .data/demo) and the dashboard start; a demo user gets two paper strategies
// and a live one whose orders go to the simulator; then a stream of TradingView-like alerts flows in, a few a
// second (both sides, a resend, a broken one), until Ctrl-C. Sign in to the dashboard to watch the executions.
//
// Settings (environment): PORT (api, 4000), WEB_PORT (dashboard, 3000), DEMO_ALERTS_PER_SECOND (3),
// DEMO_ALERTS (stop the stream after this many), DEMO_EXIT=1 (then print a summary and stop everything),
// DEMO_DATA_DIR (embedded database folder), DEMO_DATABASE_URL (use that PostgreSQL instead of the embedded one).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alertStream } from './alert-stream.mjs';
import { apiClient, deployedStrategy, executionCounts, signIn } from './demo-api.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

const DEMO_USER = { email: 'demo@algodatta.local', password: 'demo-trader-1' };
const SIM = { clientId: '1000000001', accessToken: 'demo-dhan-access-token-0123456789' };
const METRICS_TOKEN = 'demo-metrics-token-0123456789';
const SECURITY_IDS = { RELIANCE: '2885', TCS: '11536', INFY: '1594' };
const START_PRICES = { RELIANCE: 2500, TCS: 4000, INFY: 1500 };

const settings = {
  apiPort: Number(process.env.PORT || 4000),
  webPort: Number(process.env.WEB_PORT || 3000),
  perSecond: Number(process.env.DEMO_ALERTS_PER_SECOND || 3),
  limit: process.env.DEMO_ALERTS ? Number(process.env.DEMO_ALERTS) : Infinity,
  exitAfter: process.env.DEMO_EXIT === '1',
  dataDir: resolve(process.env.DEMO_DATA_DIR || join(ROOT, '.data', 'demo')),
  databaseUrl: process.env.DEMO_DATABASE_URL || '',
};
const logDir = `${settings.dataDir}-logs`;
const children = [];
let sim;
let stopping = false;

const say = (line) => process.stdout.write(`${line}\n`);
const ist = () => new Date(Date.now() + 330 * 60_000).toISOString().slice(11, 19);

function requireBuild() {
  for (const file of ['api/dist/main.js', 'web/build/server/index.js', 'plugins/broker-dhan/dist/simulator/index.js']) {
    if (!existsSync(join(ROOT, file)))
      throw new Error(`${file} is missing: run \`npm run demo\` (it builds first) or \`npm run build\``);
  }
}

// A child process whose output goes to <logDir>/<name>.log
function start(name, args, env) {
  const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  child.exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  child.exited.then(({ code, signal }) => {
    if (!stopping) {
      say(`${name} stopped unexpectedly (${signal ?? `exit ${code}`}); its log: ${join(logDir, `${name}.log`)}`);
      void shutdown(1);
    }
  });
  children.push(child);
  return child;
}

async function waitForHttp(name, url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) throw new Error('stopped');
    const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2000) }).catch(() => undefined);
    if (res && res.status < 500) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${name} did not answer ${url} within ${timeoutMs / 1000} s; see ${join(logDir, `${name}.log`)}`);
}

// The live strategy needs the instrument master (loaded in the background at start)
async function waitForInstruments(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const log = readFileSync(join(logDir, 'api.log'), 'utf8');
    if (/"instrument master (not )?loaded"/.test(log)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  say('\nstopping the demo ...');
  for (const child of children) child.kill('SIGTERM');
  await Promise.race([Promise.all(children.map((c) => c.exited)), new Promise((r) => setTimeout(r, 15_000))]);
  for (const child of children) child.kill('SIGKILL');
  await sim?.close().catch(() => {});
  process.exit(code);
}

async function main() {
  requireBuild();
  mkdirSync(logDir, { recursive: true });
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  const { startDhanSimulator } = require(join(ROOT, 'plugins/broker-dhan/dist/simulator/index.js'));
  sim = await startDhanSimulator({
    port: 0,
    ...SIM,
    initialBalance: '1000000',
    prices: Object.fromEntries(Object.entries(SECURITY_IDS).map(([symbol, id]) => [id, String(START_PRICES[symbol])])),
    instruments: Object.fromEntries(
      Object.entries(SECURITY_IDS).map(([symbol, id]) => [id, { tradingSymbol: symbol, lotSize: 1 }]),
    ),
  });
  say(`DhanHQ simulator  ${sim.url} (order updates ${sim.wsUrl})`);

  const apiBase = `http://127.0.0.1:${settings.apiPort}`;
  start('api', [join(ROOT, 'api/dist/main.js')], {
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(settings.apiPort),
    PUBLIC_BASE_URL: `http://localhost:${settings.apiPort}`,
    // Embedded PostgreSQL in its own folder and port, apart from `npm start`'s (an empty DATABASE_URL beats .env)
    DATABASE_URL: settings.databaseUrl,
    DATA_DIR: settings.dataDir,
    EMBEDDED_PG_PORT: process.env.DEMO_PG_PORT || '5498',
    BROKER_DHAN_BASE_URL: sim.url,
    BROKER_DHAN_ORDER_UPDATES_URL: sim.wsUrl,
    BROKER_DHAN_INSTRUMENTS_SOURCE: join(ROOT, 'demo/scrip-master.csv'),
    BROKER_DHAN_INSTRUMENTS_ON_START: 'true',
    // Paper trades around the clock in the demo, whatever the exchange hours
    BROKER_PAPER_MARKET_HOURS: 'ignore',
    METRICS_TOKEN,
    LOG_LEVEL: 'info',
  });
  await waitForHttp('api', `${apiBase}/readyz`, 180_000);
  start('web', [join(ROOT, 'web/server/start.js')], {
    ...process.env,
    NODE_ENV: 'production',
    WEB_PORT: String(settings.webPort),
    API_URL: `${apiBase}/graphql`,
    API_WS_URL: `ws://localhost:${settings.apiPort}/graphql`,
    SESSION_SECRET: randomBytes(24).toString('hex'),
    SESSION_COOKIE_SECURE: 'false',
  });
  await waitForHttp('web', `http://127.0.0.1:${settings.webPort}/login`, 60_000);
  await waitForInstruments(20_000);

  const api = apiClient(apiBase);
  const session = await signIn(api, DEMO_USER.email, DEMO_USER.password);
  await api.graphql(
    'mutation($i: ConnectBrokerInput!) { connectBroker(input: $i) { id status } }',
    { i: { broker: 'dhan', ...SIM } },
    session.accessToken,
  );
  // Room for the demo's pace (a strategy allows 60 alerts a minute by default)
  const limits = { alertsPerMinute: 600 };
  const strategies = [
    await deployedStrategy(api, session.accessToken, {
      name: 'Demo: RELIANCE breakout (paper)',
      symbol: 'RELIANCE',
      timeframe: '5',
      qty: 2,
      mode: 'PAPER',
      exchangeSegment: 'NSE_EQ',
      productType: 'INTRADAY',
      ...limits,
    }),
    await deployedStrategy(api, session.accessToken, {
      name: 'Demo: INFY momentum (live, DhanHQ simulator)',
      symbol: 'INFY',
      timeframe: '5',
      qty: 1,
      mode: 'LIVE',
      exchangeSegment: 'NSE_EQ',
      productType: 'INTRADAY',
      broker: 'dhan',
      ...limits,
    }),
    await deployedStrategy(api, session.accessToken, {
      name: 'Demo: TCS mean reversion (paper)',
      symbol: 'TCS',
      timeframe: '15',
      qty: 1,
      mode: 'PAPER',
      exchangeSegment: 'NSE_EQ',
      productType: 'INTRADAY',
      ...limits,
    }),
  ];

  say('');
  say(`Dashboard  http://localhost:${settings.webPort}  sign in as ${DEMO_USER.email} / ${DEMO_USER.password}`);
  say(
    `API        http://localhost:${settings.apiPort}/graphql   metrics: curl -H 'Authorization: Bearer ${METRICS_TOKEN}' http://localhost:${settings.apiPort}/metrics`,
  );
  say(`Logs       ${logDir}   (Ctrl-C stops everything)`);
  say('');

  const answers = {};
  const stream = alertStream(strategies, { startPrices: START_PRICES });
  for (let sent = 0; sent < settings.limit && !stopping; sent += 1) {
    const { kind, strategy, alert } = stream.next().value;
    if (kind === 'signal' && strategy.mode === 'LIVE') sim.setPrice(SECURITY_IDS[strategy.symbol], alert.price);
    const reply = await api.webhook(alert);
    const answer = reply.body?.status ?? reply.body?.error ?? String(reply.status);
    answers[answer] = (answers[answer] ?? 0) + 1;
    const what =
      kind === 'bad'
        ? 'broken message (unreplaced placeholder)'
        : `${String(alert.side).toUpperCase().padEnd(4)} ${alert.qty} @ ${alert.price}${kind === 'resend' ? '  (TradingView resend)' : ''}`;
    say(
      `${ist()} IST  ${strategy.mode.padEnd(5)} ${strategy.symbol.padEnd(8)} ${what.padEnd(40)} -> ${reply.status} ${answer}`,
    );
    await new Promise((r) => setTimeout(r, 1000 / settings.perSecond));
  }
  if (stopping) return;
  if (settings.exitAfter) {
    // Let the last orders fill, then report what the api recorded
    await new Promise((r) => setTimeout(r, 3000));
    say(
      `DEMO SUMMARY ${JSON.stringify({ answers, executions: await executionCounts(api, (await signIn(api, DEMO_USER.email, DEMO_USER.password)).accessToken) })}`,
    );
    await shutdown(0);
  } else {
    say('\nthe alert stream has ended; the dashboard keeps running until Ctrl-C');
  }
}

main().catch(async (error) => {
  say(`demo failed: ${error.message}`);
  await shutdown(1);
});
