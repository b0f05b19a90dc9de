// What the plugin is and what it can do. The loader validates this; the host reads `has` and `features` before every
// call and never probes with try/catch.
'use strict';

const { CONTRACT_VERSION } = require('@algodatta/broker-sdk');

const manifest = {
  name: 'example',
  displayName: 'Example Broker',
  version: '0.1.0',
  contractVersion: CONTRACT_VERSION,
  description: 'An in-memory exchange that exercises every capability of the SDK',
  // A real-money broker as far as the host is concerned (PAPER-mode strategies go to the paper venue)
  paper: false,
  // What the host stores per connected account (connectBroker's clientId and accessToken)
  requiredCredentials: ['clientId', 'accessToken'],
  has: {
    placeOrder: true,
    cancelOrder: true,
    modifyOrder: true,
    getOrder: true,
    listOrders: true,
    positions: true,
    holdings: true,
    funds: true,
    profile: true,
    searchInstruments: true,
    // Updates are pushed over a stream (subscribeOrderUpdates) and POSTed to the host (has.webhooks)
    orderUpdates: 'stream',
    webhooks: true,
    // The exchange publishes its contracts as a CSV: the host stores them and asks us which one a ticker means
    instrumentMaster: true,
    // Access tokens last a day and can be extended; there is no PIN + TOTP login
    session: { expiry: true, renew: true, login: false },
    staticIp: true,
    killSwitch: true,
    pnlExit: true,
    bracketOrders: true,
    sliceOrders: true,
    marketData: 'stream',
    // Simulated-venue capabilities: a real exchange fills on its own time and keeps its own hours
    fillsOnPlacement: false,
    marketHours: false,
  },
  features: {
    orderTypes: ['MARKET', 'LIMIT', 'SL', 'SL-M'],
    validities: ['DAY'],
    products: ['INTRADAY', 'CNC'],
    segments: ['NSE_EQ', 'NSE_FNO', 'MCX_COMM'],
    modify: { price: true, quantity: true, trigger: true },
    // Like the Indian exchanges under market price protection: SL-M only for equity cash
    stopMarketSegments: ['NSE_EQ'],
  },
};

module.exports = { manifest };
