// The conformance harness of the example plugin: how the suite gets clients and moves the exchange's market.
// `npx algodatta-broker-conformance ./examples/broker-example` finds it through package.json ("algodatta"
// "conformanceHarness"); a jest test can also pass it to runBrokerConformance itself.
'use strict';

const { loadBrokerPlugin } = require('@algodatta/broker-sdk');
const plugin = require('../src');

const { exchange } = plugin;
const loaded = loadBrokerPlugin(plugin, {});
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
let accounts = 0;

// Each call opens an account of its own at the exchange, so cards never see each other's orders
async function clientWith(credentials) {
  accounts += 1;
  return loaded.createClient({
    logger: quiet,
    clock: { now: Date.now },
    accountId: `conformance-${accounts}`,
    credentials,
  });
}

function newAccount() {
  const credentials = {
    clientId: `EX-C${accounts + 1}`,
    accessToken: `token-${accounts + 1}-${Date.now().toString(36)}`,
  };
  exchange.addAccount(credentials);
  return credentials;
}

module.exports = {
  plugin,
  pluginOptions: {},
  // SBIN on the example exchange (instruments.csv)
  instrument: { symbol: 'SBIN', exchangeSegment: 'NSE_EQ', securityId: '1002', lotSize: '1', tickSize: '0.05' },
  basePrice: '500',
  createClient: () => clientWith(newAccount()),
  createClientWithBadCredentials: () => clientWith({ clientId: 'EX-NOBODY', accessToken: 'not-a-token' }),
  createSessionClient: () => clientWith(newAccount()),
  async setMarketPrice(instrument, price) {
    exchange.setPrice(instrument, price);
  },
  async triggerRateLimit(client) {
    exchange.throttleNext(client.clientId);
    return client.funds();
  },
  async redeliverLastUpdate() {
    exchange.redeliverLastEvents();
  },
  // A future whose freeze limit is 900 units: 1800 go as two legs
  sliceOrder: {
    instrument: {
      symbol: 'EXIDX-24JUN2098-FUT',
      exchangeSegment: 'NSE_FNO',
      securityId: '2001',
      lotSize: '50',
      tickSize: '0.05',
    },
    quantity: '1800',
  },
  // Instrument master cards: tickers and the contract each must resolve to (fixed dates far from any test run)
  instrumentLookups: [
    { lookup: { symbol: 'EXAMPLECO', exchangeSegment: 'NSE_EQ' }, securityId: '1001' },
    { lookup: { symbol: 'NSE:SBIN' }, securityId: '1002' },
    { lookup: { symbol: 'EXIDX1!', exchangeSegment: 'NSE_FNO' }, securityId: '2001' },
    { lookup: { symbol: 'EXIDX2!', exchangeSegment: 'NSE_FNO' }, securityId: '2002' },
    { lookup: { symbol: 'EXIDX-29JUL2098-FUT' }, securityId: '2002' },
    { lookup: { symbol: 'whatever', exchangeSegment: 'MCX_COMM', securityId: '3001' }, securityId: '3001' },
  ],
  unknownSymbol: { symbol: 'NO-SUCH-THING' },
  // Webhook cards: the postback the exchange would send for an order
  postbackFor(order) {
    return {
      headers: { 'content-type': 'application/json', 'x-example-event': 'order' },
      body: JSON.stringify({
        order_id: order.brokerOrderId,
        client_ref: order.clientOrderId,
        client_id: 'EX-C1',
        status: 'DONE',
      }),
    };
  },
  settle: () => new Promise((resolve) => setTimeout(resolve, 5)),
  timeoutMs: 1000,
};
