// Row shapes of the paper_ tables and their mapping to the SDK models (numeric -> string, bigint -> number)

import type {
  ExchangeSegment,
  Fill,
  OrderType,
  Order,
  OrderStatus,
  Position,
  Product,
  Side,
  TimeInForce,
} from '@algodatta/broker-sdk';
import type { ChargeBreakdown } from '../charges.calc';
import { D, str } from '../decimal';

export const BROKER = 'paper';

export type OrderRow = {
  account_id: string;
  client_order_id: string;
  broker_order_id: string;
  symbol: string;
  exchange_segment: ExchangeSegment;
  security_id: string | null;
  lot_size: string;
  tick_size: string;
  is_option: boolean;
  slippage_bps: string;
  side: Side;
  type: OrderType;
  product: Product;
  time_in_force: TimeInForce;
  quantity: string;
  price: string | null;
  trigger_price: string | null;
  triggered: boolean;
  status: OrderStatus;
  filled_quantity: string;
  average_price: string | null;
  reject_reason: string | null;
  tag: string | null;
  created_at: string;
  updated_at: string;
};

export type FillRow = {
  trade_id: string;
  account_id: string;
  client_order_id: string;
  broker_order_id: string;
  symbol: string;
  exchange_segment: ExchangeSegment;
  security_id: string | null;
  side: Side;
  product: Product;
  quantity: string;
  price: string;
  charges: ChargeBreakdown;
  charges_total: string;
  ts: string;
};

export type PositionRow = {
  account_id: string;
  symbol: string;
  exchange_segment: ExchangeSegment;
  product: Product;
  security_id: string | null;
  net_quantity: string;
  average_price: string;
  realized_pnl: string;
  charges: string;
  buy_quantity: string;
  sell_quantity: string;
  updated_at: string;
};

// Normalizes numeric text from pg ("10.0000" stays exact, "1e3" never occurs for numeric)
const n = (v: string): string => str(new D(v));

function instrumentOf(r: { symbol: string; exchange_segment: ExchangeSegment; security_id: string | null }) {
  return r.security_id
    ? { symbol: r.symbol, exchangeSegment: r.exchange_segment, securityId: r.security_id }
    : { symbol: r.symbol, exchangeSegment: r.exchange_segment };
}

export function toOrder(r: OrderRow): Order {
  const o: Order = {
    clientOrderId: r.client_order_id,
    brokerOrderId: r.broker_order_id,
    broker: BROKER,
    accountId: r.account_id,
    instrument: instrumentOf(r),
    side: r.side,
    type: r.type,
    product: r.product,
    timeInForce: r.time_in_force,
    quantity: n(r.quantity),
    status: r.status,
    filledQuantity: n(r.filled_quantity),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    raw: { ...r, triggered: r.triggered, lotSize: n(r.lot_size), tickSize: n(r.tick_size) },
  };
  if (r.price !== null) o.price = n(r.price);
  if (r.trigger_price !== null) o.triggerPrice = n(r.trigger_price);
  if (r.average_price !== null) o.averagePrice = str(new D(r.average_price).toDecimalPlaces(6));
  if (r.reject_reason !== null) o.rejectReason = r.reject_reason;
  return o;
}

export function toFill(r: FillRow): Fill {
  const { total, ...breakdown } = r.charges;
  return {
    tradeId: r.trade_id,
    clientOrderId: r.client_order_id,
    brokerOrderId: r.broker_order_id,
    broker: BROKER,
    accountId: r.account_id,
    instrument: instrumentOf(r),
    side: r.side,
    product: r.product,
    quantity: n(r.quantity),
    price: n(r.price),
    fee: { currency: 'INR', total, breakdown },
    ts: Number(r.ts),
    raw: r,
  };
}

export function toPosition(r: PositionRow, lastPrice: string | null): Position {
  const net = new D(r.net_quantity);
  const p: Position = {
    broker: BROKER,
    accountId: r.account_id,
    instrument: instrumentOf(r),
    product: r.product,
    netQuantity: str(net),
    // Stored exactly; shown to 6 dp (an average of many fills can have a long expansion)
    averagePrice: str(new D(r.average_price).toDecimalPlaces(6)),
    realizedPnl: new D(r.realized_pnl).toFixed(2),
    charges: new D(r.charges).toFixed(2),
    raw: { ...r, netRealizedPnl: new D(r.realized_pnl).minus(r.charges).toFixed(2) },
  };
  if (lastPrice !== null) {
    p.lastPrice = n(lastPrice);
    p.unrealizedPnl = new D(lastPrice).minus(r.average_price).mul(net).toFixed(2);
  }
  return p;
}
