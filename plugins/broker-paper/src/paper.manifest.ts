import { CONTRACT_VERSION, EXCHANGE_SEGMENTS } from '@algodatta/broker-sdk';
import type { BrokerManifestInput } from '@algodatta/broker-sdk';

export const PAPER_MANIFEST = {
  name: 'paper',
  displayName: 'Paper trading',
  version: '0.1.0',
  contractVersion: CONTRACT_VERSION,
  description: 'Simulated broker: slippage, Indian charges, average-cost P&L, state in PostgreSQL',
  paper: true,
  requiredCredentials: [],
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
    orderUpdates: 'stream',
    // The prices paper is fed (alerts, updatePrice) as a quote stream; exits, slicing and sessions are the host's job
    marketData: 'stream',
    // A simulated venue: MARKET orders fill inside placeOrder at the alert's price, and the exchanges' hours are kept
    // (the host refuses or queues orders outside them, squares off intraday and expires DAY orders at session end)
    fillsOnPlacement: true,
    // placeOrders: a position's MARKET orders filled together, in order, in one statement
    batchPlacement: true,
    marketHours: true,
  },
  features: {
    orderTypes: ['MARKET', 'LIMIT', 'SL', 'SL-M'],
    validities: ['DAY', 'IOC'],
    products: ['INTRADAY', 'CNC', 'MARGIN', 'MTF'],
    segments: [...EXCHANGE_SEGMENTS],
    modify: { price: true, quantity: true, trigger: true },
  },
} satisfies BrokerManifestInput;
