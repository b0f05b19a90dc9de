// Literal unions shared by the manifest and the models; the zod enums are the single source of truth

import { z } from 'zod';
import { LOT_SEGMENTS } from './quantity-rule';

export const SIDES = ['BUY', 'SELL'] as const;
export const ORDER_TYPES = ['MARKET', 'LIMIT', 'SL', 'SL-M'] as const;
export const TIME_IN_FORCE = ['DAY', 'IOC'] as const;
// MTF (margin trade funding) is a DhanHQ delivery-on-margin product; CO/BO are deliberately not modelled
export const PRODUCTS = ['INTRADAY', 'CNC', 'MARGIN', 'MTF'] as const;
// DhanHQ v2 exchangeSegment names (see docs: Annexure, exchange segment)
export const EXCHANGE_SEGMENTS = [
  'NSE_EQ',
  'NSE_FNO',
  'BSE_EQ',
  'BSE_FNO',
  'MCX_COMM',
  'NSE_CURRENCY',
  'BSE_CURRENCY',
] as const;
export const ORDER_STATUSES = [
  'pending_submit',
  'open',
  'partially_filled',
  'filled',
  'cancelled',
  'rejected',
  'expired',
] as const;
export const INSTRUMENT_TYPES = ['EQUITY', 'FUTURE', 'OPTION', 'INDEX', 'ETF', 'OTHER'] as const;

export const sideSchema = z.enum(SIDES);
export const orderTypeSchema = z.enum(ORDER_TYPES);
export const timeInForceSchema = z.enum(TIME_IN_FORCE);
export const productSchema = z.enum(PRODUCTS);
export const exchangeSegmentSchema = z.enum(EXCHANGE_SEGMENTS);
export const orderStatusSchema = z.enum(ORDER_STATUSES);
export const instrumentTypeSchema = z.enum(INSTRUMENT_TYPES);

export type Side = (typeof SIDES)[number];
export type OrderType = (typeof ORDER_TYPES)[number];
export type TimeInForce = (typeof TIME_IN_FORCE)[number];
export type Product = (typeof PRODUCTS)[number];
export type ExchangeSegment = (typeof EXCHANGE_SEGMENTS)[number];
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type InstrumentType = (typeof INSTRUMENT_TYPES)[number];

/** Statuses after which an order never changes again. */
export const TERMINAL_ORDER_STATUSES: readonly OrderStatus[] = ['filled', 'cancelled', 'rejected', 'expired'];

export function isTerminalStatus(status: OrderStatus): boolean {
  return TERMINAL_ORDER_STATUSES.includes(status);
}

/** Derivative segments: quantities must be a multiple of the instrument's lot size (see quantity-rule.ts). */
export const DERIVATIVE_SEGMENTS: readonly ExchangeSegment[] = LOT_SEGMENTS;

export function isDerivativeSegment(segment: ExchangeSegment): boolean {
  return DERIVATIVE_SEGMENTS.includes(segment);
}
