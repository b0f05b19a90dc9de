// Deployment options, validated by the loader. The host reads each from BROKER_EXAMPLE_<OPTION> (instrumentsSource ->
// BROKER_EXAMPLE_INSTRUMENTS_SOURCE) or BROKER_PLUGIN_OPTIONS; `.describe()` is what its .env.example prints.
// Credentials are not options: they come per account in ctx.credentials.
'use strict';

const path = require('node:path');
const { z } = require('@algodatta/broker-sdk');

const DEFAULT_MASTER = path.join(__dirname, '..', 'instruments.csv');

const optionsSchema = z.object({
  instrumentsSource: z
    .string()
    .min(1)
    .default(DEFAULT_MASTER)
    .describe('Instrument master CSV of the example exchange: http(s) URL or file path'),
  instrumentsRefreshCron: z
    .string()
    .min(1)
    .default('30 7 * * *')
    .describe('When the host reloads the instrument master (cron, IST)'),
  staticIp: z
    .string()
    .min(1)
    .default('203.0.113.10')
    .describe('The IP the example exchange accepts orders from (reported by getStaticIp)'),
});

module.exports = { optionsSchema, DEFAULT_MASTER };
