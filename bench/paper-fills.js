#!/usr/bin/env node
// Paper engine throughput and latency. Requires the BUILT plugin:
//   npx tsc -b plugins/broker-paper && node bench/paper-fills.js
// Uses a throwaway database on PAPER_BENCH_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres)
// and drops it at the end. Bounded: every phase has a time budget, the whole run is killed after 55 s.
'use strict';

const os = require('node:os');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { Client } = require('pg');
const { loadBrokerPlugin } = require('@algodatta/broker-sdk');
const paper = require(path.join(__dirname, '..', 'plugins', 'broker-paper', 'dist'));

const ADMIN_URL = process.env.PAPER_BENCH_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const PHASE_MS = Number(process.env.PAPER_BENCH_PHASE_MS || 6000);
const WORKERS = Number(process.env.PAPER_BENCH_WORKERS || 8);
const dbName = `paper_bench_${randomBytes(4).toString('hex')}`;
const dbUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);
const logger = { debug() {}, info() {}, warn() {}, error: (m, x) => console.error(m, x) };

async function admin(sql) {
  const c = new Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

// WORKERS accounts, each placing MARKET orders back to back; latency = placeOrder call -> its fill update
async function marketPhase(loaded, label, symbols) {
  const clients = [];
  for (let w = 0; w < WORKERS; w++) {
    clients.push(
      await loaded.createClient({ logger, clock: { now: Date.now }, accountId: `${label}-${w}`, credentials: {} }),
    );
  }
  const latencies = [];
  let fills = 0;
  const pendingFill = new Map();
  const unsubs = clients.map((c) =>
    c.subscribeOrderUpdates((u) => {
      if (u.kind !== 'fill') return;
      const started = pendingFill.get(u.fill.clientOrderId);
      if (started === undefined) return;
      pendingFill.delete(u.fill.clientOrderId);
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      fills += 1;
    }),
  );
  const deadline = Date.now() + PHASE_MS;
  let seq = 0;
  const started = Date.now();
  await Promise.all(
    clients.map(async (c, w) => {
      while (Date.now() < deadline) {
        const i = seq++;
        const symbol = symbols[i % symbols.length];
        const id = `${label}-${w}-${i}`.slice(0, 30);
        pendingFill.set(id, process.hrtime.bigint());
        await c.placeOrder({
          clientOrderId: id,
          instrument: { symbol, exchangeSegment: 'NSE_EQ', lotSize: '1', tickSize: '0.05' },
          side: i % 2 ? 'SELL' : 'BUY',
          type: 'MARKET',
          product: 'INTRADAY',
          quantity: '1',
          referencePrice: (100 + (i % 50) / 10).toFixed(2),
        });
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  unsubs.forEach((u) => u());
  for (const c of clients) await c.close();
  latencies.sort((a, b) => a - b);
  return {
    label,
    symbols: symbols.length,
    fills,
    elapsed,
    perSec: fills / elapsed,
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
  };
}

// Resting limits on 1,000 symbols, then one price update per symbol crosses them; fills/s of the crossing pass
async function crossingPhase(loaded, symbols) {
  const c = await loaded.createClient({ logger, clock: { now: Date.now }, accountId: 'cross-0', credentials: {} });
  const feeder = await loaded.createClient({
    logger,
    clock: { now: Date.now },
    accountId: 'cross-feed',
    credentials: {},
  });
  for (const s of symbols) await feeder.updatePrice({ symbol: s, exchangeSegment: 'NSE_EQ' }, '100');
  const deadline = Date.now() + PHASE_MS / 2;
  let placed = 0;
  for (const s of symbols) {
    if (Date.now() > deadline) break;
    await c.placeOrder({
      clientOrderId: `x-${s}`.slice(0, 30),
      instrument: { symbol: s, exchangeSegment: 'NSE_EQ', lotSize: '1', tickSize: '0.05' },
      side: 'BUY',
      type: 'LIMIT',
      product: 'INTRADAY',
      quantity: '1',
      price: '99',
    });
    placed += 1;
  }
  const t0 = Date.now();
  let filled = 0;
  for (const s of symbols.slice(0, placed))
    filled += (await feeder.updatePrice({ symbol: s, exchangeSegment: 'NSE_EQ' }, '98.5')).length;
  const elapsed = (Date.now() - t0) / 1000;
  await c.close();
  await feeder.close();
  return { placed, filled, elapsed, perSec: filled / elapsed };
}

async function main() {
  const killer = setTimeout(() => {
    console.error('bench: 55 s budget exceeded, aborting');
    admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).finally(() => process.exit(2));
  }, 55_000);
  await admin(`CREATE DATABASE "${dbName}"`);
  try {
    const loaded = loadBrokerPlugin(paper, { databaseUrl: dbUrl, slippageBps: '5', poolSize: WORKERS + 2 });
    const many = Array.from({ length: 1000 }, (_, i) => `SYM${String(i).padStart(4, '0')}`);
    // Warm-up: schema creation and JIT
    await marketPhase(loaded, 'warm', ['WARM']).catch((e) => {
      throw e;
    });
    const one = await marketPhase(loaded, 'one', ['ONESYM']);
    const thousand = await marketPhase(loaded, 'k', many);
    const cross = await crossingPhase(loaded, many);

    const cpu = os.cpus()[0]?.model ?? 'unknown';
    console.log(
      `machine: nproc=${os.cpus().length} (${cpu}), node ${process.version}, ${WORKERS} concurrent accounts, phase ${PHASE_MS} ms`,
    );
    for (const r of [one, thousand]) {
      console.log(
        `MARKET fills, ${r.symbols} symbol(s): ${r.fills} fills in ${r.elapsed.toFixed(1)} s = ${r.perSec.toFixed(0)} fills/s; ` +
          `placeOrder -> fill update p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`,
      );
    }
    console.log(
      `resting LIMITs crossed by updatePrice, ${cross.placed} symbols: ${cross.filled} fills in ${cross.elapsed.toFixed(1)} s = ${cross.perSec.toFixed(0)} fills/s`,
    );
  } finally {
    clearTimeout(killer);
    await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
