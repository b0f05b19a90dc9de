import {
  DHAN_AMO_TIMES,
  DHAN_ORDER_TYPES,
  DHAN_PRODUCTS,
  DHAN_SEGMENTS,
  DHAN_SIDES,
  DHAN_VALIDITIES,
} from '../dhan/dhan.types';
import type { DhanOrderType, DhanProduct, DhanSegment, DhanSide, DhanValidity } from '../dhan/dhan.types';

// What the simulator keeps of a valid place body: numbers as decimal strings, never floats
export type ValidPlace = {
  correlationId: string | null;
  transactionType: DhanSide;
  exchangeSegment: DhanSegment;
  productType: DhanProduct;
  orderType: DhanOrderType;
  validity: DhanValidity;
  securityId: string;
  quantity: number;
  disclosedQuantity: number;
  price: string;
  triggerPrice: string;
  afterMarketOrder: boolean;
};

export type ValidModify = {
  orderId: string;
  orderType: DhanOrderType;
  quantity: number;
  price: string;
  triggerPrice: string;
  disclosedQuantity: number;
  validity: DhanValidity;
};

export class SimInputError extends Error {}

type Body = Record<string, unknown>;

const CORRELATION_RE = /^[a-zA-Z0-9 _-]{1,30}$/;
const NUMERIC_RE = /^-?\d+(\.\d+)?$/;

function oneOf<T extends string>(body: Body, key: string, allowed: readonly T[]): T {
  const v = body[key];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
    throw new SimInputError(`${key} is invalid`);
  return v as T;
}

// The DOCS sample sends quantity:"5" while the SDK sends 5; both are accepted
function int(body: Body, key: string, required: boolean): number {
  const v = body[key];
  if (v === undefined || v === null || v === '') {
    if (required) throw new SimInputError(`${key} is required`);
    return 0;
  }
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  if (!/^\d+$/.test(s)) throw new SimInputError(`${key} must be a whole number`);
  return Number(s);
}

function decimal(body: Body, key: string): string {
  const v = body[key];
  if (v === undefined || v === null || v === '') return '0';
  const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v.trim() : '';
  if (!NUMERIC_RE.test(s) || s.startsWith('-')) throw new SimInputError(`${key} must be a non-negative number`);
  return s;
}

function checkPrices(orderType: DhanOrderType, price: string, triggerPrice: string): void {
  if ((orderType === 'LIMIT' || orderType === 'STOP_LOSS') && Number(price) <= 0)
    throw new SimInputError('price is required');
  if ((orderType === 'STOP_LOSS' || orderType === 'STOP_LOSS_MARKET') && Number(triggerPrice) <= 0) {
    throw new SimInputError('triggerPrice is required');
  }
}

export function validatePlaceBody(body: unknown, clientId: string): ValidPlace {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new SimInputError('body must be a JSON object');
  const b = body as Body;
  if (b.dhanClientId !== clientId) throw new SimInputError('dhanClientId is invalid');
  let correlationId: string | null = null;
  if (b.correlationId !== undefined && b.correlationId !== null && b.correlationId !== '') {
    if (typeof b.correlationId !== 'string' || !CORRELATION_RE.test(b.correlationId))
      throw new SimInputError('correlationId is invalid');
    correlationId = b.correlationId;
  }
  // A numeric securityId is a classic DH-905 cause (openalgo #175)
  if (typeof b.securityId !== 'string' || !/^\d+$/.test(b.securityId))
    throw new SimInputError('securityId must be a string of digits');
  const exchangeSegment = oneOf(b, 'exchangeSegment', DHAN_SEGMENTS);
  if (exchangeSegment === 'IDX_I') throw new SimInputError('indices are not tradable');
  const orderType = oneOf(b, 'orderType', DHAN_ORDER_TYPES);
  const quantity = int(b, 'quantity', true);
  if (quantity <= 0) throw new SimInputError('quantity must be positive');
  const price = decimal(b, 'price');
  const triggerPrice = decimal(b, 'triggerPrice');
  checkPrices(orderType, price, triggerPrice);
  const afterMarketOrder = b.afterMarketOrder === undefined ? false : b.afterMarketOrder;
  if (typeof afterMarketOrder !== 'boolean') throw new SimInputError('afterMarketOrder must be a boolean');
  if (afterMarketOrder) oneOf(b, 'amoTime', DHAN_AMO_TIMES);
  const disclosedQuantity = int(b, 'disclosedQuantity', false);
  if (disclosedQuantity > quantity) throw new SimInputError('disclosedQuantity is invalid');
  return {
    correlationId,
    transactionType: oneOf(b, 'transactionType', DHAN_SIDES),
    exchangeSegment,
    productType: oneOf(b, 'productType', DHAN_PRODUCTS),
    orderType,
    validity: oneOf(b, 'validity', DHAN_VALIDITIES),
    securityId: b.securityId,
    quantity,
    disclosedQuantity,
    price,
    triggerPrice,
    afterMarketOrder,
  };
}

export function validateModifyBody(body: unknown, clientId: string, orderIdInPath: string): ValidModify {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new SimInputError('body must be a JSON object');
  const b = body as Body;
  if (b.dhanClientId !== clientId) throw new SimInputError('dhanClientId is invalid');
  if (b.orderId !== orderIdInPath) throw new SimInputError('orderId does not match the path');
  const orderType = oneOf(b, 'orderType', DHAN_ORDER_TYPES);
  const quantity = int(b, 'quantity', true);
  if (quantity <= 0) throw new SimInputError('quantity must be positive');
  const price = decimal(b, 'price');
  const triggerPrice = decimal(b, 'triggerPrice');
  checkPrices(orderType, price, triggerPrice);
  return {
    orderId: orderIdInPath,
    orderType,
    quantity,
    price,
    triggerPrice,
    disclosedQuantity: int(b, 'disclosedQuantity', false),
    validity: oneOf(b, 'validity', DHAN_VALIDITIES),
  };
}
