// Public surface of @algodatta/broker-sdk. The conformance suite lives in `@algodatta/broker-sdk/conformance`.

// The zod the SDK validates with and the decimal library its models assume: a plugin that uses these needs no copies
// of its own (one zod for the loader's schema checks, exact decimal arithmetic for money)
export { z } from 'zod';
export { default as Decimal } from 'decimal.js';
export * from './enums';
export * from './models';
export * from './session.models';
export * from './account-controls.models';
export * from './bracket-order.models';
export * from './market-data.models';
export * from './market-hours.models';
export * from './instrument-master.models';
export * from './webhook.models';
export * from './errors';
export * from './manifest';
export * from './client';
export * from './define-broker';
export * from './load-plugin';
export * from './plugin-options';
export * from './order-request.parse';
export * from './fill-deduper';
export * from './quantity-rule';
export * from './database-connection-lost';
export { istDate, istInstant } from './calendar/ist-time';
export { EXCHANGE_HOLIDAYS } from './calendar/exchange-holidays';
export type { ExchangeHoliday } from './calendar/exchange-holidays';
export {
  INDIAN_MARKET_CALENDAR,
  INDIAN_SESSION_END,
  INDIAN_SQUARE_OFF_TIMES,
  SEGMENT_SESSIONS,
  marketState,
  nextOpenAfter,
  sessionOn,
} from './calendar/indian-market-calendar';
