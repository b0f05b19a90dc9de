// The suite as algodatta-broker-conformance runs it: one jest file that registers every card for the harness it is
// given (ALGODATTA_CONFORMANCE_HARNESS). Run it through the command, not directly.
'use strict';

const path = require('node:path');
const { runBrokerConformance } = require('../dist/conformance');

const file = process.env.ALGODATTA_CONFORMANCE_HARNESS;
if (!file)
  throw new Error('ALGODATTA_CONFORMANCE_HARNESS is not set: run npx algodatta-broker-conformance <plugin folder>');
const exported = require(file);
runBrokerConformance({ name: path.relative(process.cwd(), file) || file, harness: exported.harness || exported });
