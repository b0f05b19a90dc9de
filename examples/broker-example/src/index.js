// algodatta-broker-example: the whole plugin. The module exports the result of defineBroker as default and as
// `plugin`; the host loads it by package name or path (BROKER_PLUGINS=./examples/broker-example).
'use strict';

const { defineBroker } = require('@algodatta/broker-sdk');
const { ExampleClient } = require('./client');
const { instrumentMaster } = require('./instruments');
const { manifest } = require('./manifest');
const { optionsSchema } = require('./options');
const { parseWebhook } = require('./webhook');
const { exchange } = require('./venue');

// The optional capabilities the manifest declares, one file each
Object.assign(
  ExampleClient.prototype,
  require('./capabilities/session'),
  require('./capabilities/account-controls'),
  require('./capabilities/brackets'),
  require('./capabilities/slicing'),
  require('./capabilities/market-data'),
);

const plugin = defineBroker({
  manifest,
  optionsSchema,
  // One client per connected account; the loader has checked ctx.credentials has clientId and accessToken
  create: (ctx, options) => new ExampleClient(ctx, options),
  // Plugin-level hooks, each promised by a `has` flag
  parseWebhook: (request) => parseWebhook(request),
  instruments: (options) => instrumentMaster(options),
});

// `exchange` is the in-memory Example Exchange, for tests and demos only
module.exports = { default: plugin, plugin, exchange };
