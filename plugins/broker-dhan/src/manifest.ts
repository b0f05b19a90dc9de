import { CONTRACT_VERSION } from '@algodatta/broker-sdk';
import type { BrokerManifestInput } from '@algodatta/broker-sdk';

export const dhanManifest = {
  name: 'dhan',
  displayName: 'DhanHQ',
  version: '0.1.0',
  contractVersion: CONTRACT_VERSION,
  description: 'DhanHQ v2 trading API (live orders on NSE, BSE and MCX)',
  paper: false,
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
    // The order-update WebSocket; postbacks also arrive (has.webhooks)
    orderUpdates: 'stream',
    // Tokens are JWTs (expiry readable); RenewToken extends web tokens; generateAccessToken logs in with PIN + TOTP
    session: { expiry: true, renew: true, login: true },
    staticIp: true,
    killSwitch: true,
    pnlExit: true,
    // Super Order: entry + target + stop-loss + trailing jump
    bracketOrders: true,
    sliceOrders: true,
    marketData: 'stream',
    // Postbacks name the order (parseWebhook); the DhanHQ scrip master is the instrument master the host stores
    webhooks: true,
    instrumentMaster: true,
  },
  features: {
    orderTypes: ['MARKET', 'LIMIT', 'SL', 'SL-M'],
    validities: ['DAY', 'IOC'],
    products: ['INTRADAY', 'CNC', 'MARGIN', 'MTF'],
    segments: ['NSE_EQ', 'NSE_FNO', 'BSE_EQ', 'BSE_FNO', 'MCX_COMM', 'NSE_CURRENCY', 'BSE_CURRENCY'],
    modify: { price: true, quantity: true, trigger: true },
    // Since market price protection (21 Mar 2026) SL-M is refused outside equity cash (community reports DH-906 on
    // MCX and F&O; unconfirmed by an official page): elsewhere the host sends SL with a protection band
    stopMarketSegments: ['NSE_EQ', 'BSE_EQ'],
  },
} satisfies BrokerManifestInput;
