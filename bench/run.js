#!/usr/bin/env node
// `npm run bench`: every benchmark in turn, each in its own process (each bounded to < 2.5 min, dashboard-pages
// to 3.5 min, cluster-scale to 8, and cleaning up its databases and servers). Builds what they need first. Prints figures; exits
// non-zero only if a bench crashed.
//   node bench/run.js [name ...]     e.g. node bench/run.js webhook-intake pipeline-latency
'use strict';

const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.join(__dirname, '..');
const BENCHES = [
  'paper-fills',
  'webhook-intake',
  'pipeline-latency',
  'pipeline-fairness',
  'pipeline-queries',
  'webhook-duplicates',
  'fill-ledger',
  'reports',
  'dashboard-pages',
  'cluster-scale',
];
const PER_BENCH_TIMEOUT_MS = 150_000;
// Benches that load a million rows before they measure get longer (their own budget is a little shorter)
const TIMEOUTS = { 'dashboard-pages': 210_000, 'cluster-scale': 480_000 };

function main() {
  const chosen = process.argv.slice(2).length ? process.argv.slice(2) : BENCHES;
  const unknown = chosen.filter((b) => !BENCHES.includes(b));
  if (unknown.length) {
    console.error(`unknown bench: ${unknown.join(', ')} (known: ${BENCHES.join(', ')})`);
    process.exit(2);
  }
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const build = spawnSync(process.execPath, [tsc, '-b', 'plugins/broker-sdk', 'plugins/broker-paper', 'api'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) {
    console.error('bench: build failed');
    process.exit(1);
  }
  const failed = [];
  for (const name of chosen) {
    console.log(`\n== ${name} ==`);
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [path.join(__dirname, `${name}.js`)], {
      cwd: ROOT,
      stdio: 'inherit',
      timeout: TIMEOUTS[name] ?? PER_BENCH_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    });
    console.log(
      `(${name}: ${((Date.now() - t0) / 1000).toFixed(0)} s${r.status === 0 ? '' : `, exit ${r.status ?? r.signal}`})`,
    );
    if (r.status !== 0) failed.push(name);
  }
  if (failed.length) {
    console.error(`\nbench: ${failed.join(', ')} did not complete`);
    process.exitCode = 1;
  }
}

main();
