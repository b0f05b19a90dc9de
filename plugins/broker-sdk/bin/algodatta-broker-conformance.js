#!/usr/bin/env node
// Runs the SDK's conformance suite against a plugin folder, with jest:
//   npx algodatta-broker-conformance ./my-plugin [--harness ./my-plugin/test/harness.js] [jest options...]
// The harness (how the suite gets clients and moves the market, see BrokerConformanceHarness) is found by --harness,
// else package.json "algodatta": { "conformanceHarness": "..." } of the plugin, else <plugin>/conformance.harness.js.
// Exit code: jest's (0 when every card passed or was skipped for a stated reason); 2 when the harness is missing.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const args = process.argv.slice(2);
const at = args.indexOf('--harness');
const explicit = at >= 0 ? args.splice(at, 2)[1] : undefined;
const dir = path.resolve(args[0] && !args[0].startsWith('-') ? args.shift() : '.');

function harnessOf() {
  if (explicit) return path.resolve(explicit);
  const pkgFile = path.join(dir, 'package.json');
  const pkg = fs.existsSync(pkgFile) ? JSON.parse(fs.readFileSync(pkgFile, 'utf8')) : {};
  const declared = pkg.algodatta && pkg.algodatta.conformanceHarness;
  return path.resolve(dir, declared || 'conformance.harness.js');
}

const harness = harnessOf();
if (!fs.existsSync(harness)) {
  console.error(`algodatta-broker-conformance: no harness at ${harness}`);
  console.error(
    'Export a BrokerConformanceHarness from it (see the SDK README, "Conformance"), or name it with --harness <file>.',
  );
  process.exit(2);
}

let jest;
try {
  jest = require.resolve('jest/bin/jest', { paths: [dir, process.cwd(), __dirname] });
} catch {
  console.error('algodatta-broker-conformance: jest is not installed (npm i -D jest)');
  process.exit(2);
}

const config = {
  rootDir: __dirname,
  testMatch: ['<rootDir>/conformance-runner.test.js'],
  testEnvironment: 'node',
  transform: {},
  // Cards wait for fills and streams; one card may take a few of the harness's timeouts
  testTimeout: 60_000,
};
const run = spawnSync(process.execPath, [jest, '--config', JSON.stringify(config), '--forceExit', ...args], {
  stdio: 'inherit',
  cwd: dir,
  env: { ...process.env, ALGODATTA_CONFORMANCE_HARNESS: harness },
});
process.exit(run.status ?? 1);
