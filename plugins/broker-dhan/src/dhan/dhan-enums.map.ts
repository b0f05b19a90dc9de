// Dhan enums <-> the SDK's normalized enums, as data (one row per Dhan value; each row has a test)
import type { OrderStatus, OrderType, Product } from '@algodatta/broker-sdk';
import type { DhanOrderStatus, DhanOrderType, DhanProduct } from './dhan.types';

export const DHAN_STATUS_MAP: Record<DhanOrderStatus, OrderStatus> = {
  TRANSIT: 'pending_submit', // accepted by Dhan, not yet at the exchange
  PENDING: 'open',
  PART_TRADED: 'partially_filled',
  TRADED: 'filled',
  REJECTED: 'rejected',
  CANCELLED: 'cancelled',
  EXPIRED: 'expired',
  CLOSED: 'filled', // super order: all legs done (refined by filled quantity below)
  TRIGGERED: 'open', // stop triggered, now working at the exchange
};

/**
 * Normalized status of a Dhan order, refined by its fills: a working order with fills is partially_filled,
 * a CLOSED super order without a complete fill is cancelled (the model requires filled == quantity for 'filled').
 */
export function mapDhanStatus(status: string, filled: number, quantity: number): OrderStatus {
  const base = DHAN_STATUS_MAP[status.toUpperCase() as DhanOrderStatus];
  if (!base) throw new Error(`unknown Dhan order status "${status}"`);
  if (base === 'open' && filled > 0) return 'partially_filled';
  if (status.toUpperCase() === 'CLOSED' && filled < quantity) return 'cancelled';
  return base;
}

export const ORDER_TYPE_TO_DHAN: Record<OrderType, DhanOrderType> = {
  MARKET: 'MARKET',
  LIMIT: 'LIMIT',
  SL: 'STOP_LOSS',
  'SL-M': 'STOP_LOSS_MARKET',
};
export const DHAN_ORDER_TYPE_MAP: Record<string, OrderType> = {
  MARKET: 'MARKET',
  LIMIT: 'LIMIT',
  STOP_LOSS: 'SL',
  STOP_LOSS_MARKET: 'SL-M',
  // Order-update WebSocket abbreviations
  MKT: 'MARKET',
  LMT: 'LIMIT',
  SL: 'SL',
  SLM: 'SL-M',
};

export const PRODUCT_TO_DHAN: Record<Product, DhanProduct> = {
  INTRADAY: 'INTRADAY',
  CNC: 'CNC',
  MARGIN: 'MARGIN',
  MTF: 'MTF',
};
// CO and BO are intraday-only Dhan products the SDK does not model; orders placed elsewhere still normalize
export const DHAN_PRODUCT_MAP: Record<string, Product> = {
  CNC: 'CNC',
  INTRADAY: 'INTRADAY',
  MARGIN: 'MARGIN',
  MTF: 'MTF',
  CO: 'INTRADAY',
  BO: 'INTRADAY',
  // Order-update WebSocket one-letter codes
  C: 'CNC',
  I: 'INTRADAY',
  M: 'MARGIN',
  F: 'MTF',
  V: 'INTRADAY',
  B: 'INTRADAY',
};
