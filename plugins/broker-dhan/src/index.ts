// @algodatta/broker-dhan: the DhanHQ v2 broker plugin (default export) and its building blocks
import { AuthError, defineBroker } from '@algodatta/broker-sdk';
import { DhanBrokerClient } from './dhan-client';
import { dhanManifest } from './manifest';
import { dhanInstrumentMaster } from './instruments/instrument-master';
import { dhanOptionsSchema } from './options';
import type { DhanOptions } from './options';
import { parseDhanPostbackRef } from './parse/postback-ref.parse';

/**
 * The Dhan plugin. Credentials per account: `clientId` (dhanClientId) and `accessToken` (24 h JWT).
 *
 * @example
 * const loaded = loadBrokerPlugin(require('@algodatta/broker-dhan'), { baseUrl: process.env.DHAN_BASE_URL });
 * const client = await loaded.createClient({ logger, clock: { now: Date.now }, accountId: 'acct-1',
 *   credentials: { clientId: '1100003626', accessToken: '…' } });
 * await client.placeOrder({ clientOrderId: 'exec-42', side: 'BUY', type: 'MARKET', product: 'INTRADAY',
 *   instrument: { symbol: 'RELIANCE', exchangeSegment: 'NSE_EQ', securityId: '2885' }, quantity: '1' });
 */
export const plugin = defineBroker<DhanOptions>({
  manifest: dhanManifest,
  optionsSchema: dhanOptionsSchema,
  // Settings the api read itself before plugins had options of their own
  envAliases: {
    DHAN_BASE_URL: 'baseUrl',
    DHAN_ORDER_UPDATES_URL: 'orderUpdatesUrl',
    DHAN_INSTRUMENTS_URL: 'instrumentsSource',
    DHAN_INSTRUMENTS_ON_START: 'instrumentsOnStart',
    DHAN_INSTRUMENTS_REFRESH_CRON: 'instrumentsRefreshCron',
  },
  // Postbacks to /api/webhook/brokers/dhan/postback (Dhan's console takes the URL per app)
  parseWebhook: (request) => parseDhanPostbackRef(request),
  instruments: (options) => dhanInstrumentMaster(options),
  create(ctx, options) {
    const missing = dhanManifest.requiredCredentials.filter((k) => !ctx.credentials[k]);
    if (missing.length) throw new AuthError(`dhan: missing credentials ${missing.join(', ')}`, { broker: 'dhan' });
    return new DhanBrokerClient(ctx, options);
  },
});
export default plugin;

export { DhanBrokerClient } from './dhan-client';
export { dhanManifest } from './manifest';
export { dhanOptionsSchema, DHAN_PRODUCTION_URL, DHAN_SANDBOX_URL, DHAN_ORDER_UPDATES_URL } from './options';
export type { DhanOptions, DhanOptionsInput } from './options';
export { DHAN_ERROR_MAP, mapDhanFailure, findErrorRow, dhanErrorDetails } from './error-map';
export type { ErrorMapRow, DhanOp } from './error-map';
export type { DhanFailure } from './http/dhan-failure';
export { DHAN_STATUS_MAP, mapDhanStatus } from './dhan/dhan-enums.map';
export { toCorrelationId, clientOrderIdFromCorrelation } from './correlation-id';
export { SlidingWindowLimiter } from './http/rate-limiter';
export { parseScripMaster } from './instruments/scrip-master.parse';
export type { ScripRow } from './instruments/scrip-master.parse';
export {
  loadScripMaster,
  DHAN_SCRIP_MASTER_URL,
  DHAN_SCRIP_MASTER_DETAILED_URL,
} from './instruments/scrip-master.load';
export { resolveInstrument, InstrumentResolutionError } from './instruments/instrument.resolve';
export type {
  InstrumentLookup,
  ResolvedInstrument,
  InstrumentResolutionReason,
} from './instruments/instrument.resolve';
export { rowToInstrument, rowToMaster } from './instruments/instrument.map';
export { parseDhanOrder } from './parse/order.parse';
export { parseDhanTrade } from './parse/fill.parse';
export { parseDhanPostback } from './parse/postback.parse';
export { parseDhanPostbackRef } from './parse/postback-ref.parse';
export { dhanInstrumentMaster, masterRows } from './instruments/instrument-master';
export { parseOrderAlert } from './parse/order-alert.parse';
export type { ParsedOrderAlert } from './parse/order-alert.parse';
export { startDhanSimulator, startDhanSimulators } from './simulator';
export type { DhanSimulator, DhanSimulatorOptions, RecordedRequest, SimFault } from './simulator';
export type { DhanSimAccount, DhanSimulators } from './simulator';
export type * from './dhan/dhan.types';
