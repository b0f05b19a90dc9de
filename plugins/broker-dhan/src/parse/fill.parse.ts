import type { Fill } from '@algodatta/broker-sdk';
import { DHAN_PRODUCT_MAP } from '../dhan/dhan-enums.map';
import { clientOrderIdFromCorrelation } from '../correlation-id';
import { toSegment } from './order.parse';
import type { ParseContext } from './order.parse';
import { dec, int, parseIstDateTime, str } from './values.parse';

/*
 * GET /trades (DhanHQ-py tests/data/get_all_trades.json, data only):
 * [{"dhanClientId":"1000000009","orderId":"112111182045","exchangeOrderId":"15112111182045","exchangeTradeId":"15112111182045",
 *   "transactionType":"BUY","exchangeSegment":"NSE_EQ","productType":"INTRADAY","orderType":"LIMIT","tradingSymbol":"TCS",
 *   "securityId":"11536","tradedQuantity":40,"tradedPrice":3345.8,"createTime":"2021-03-10 11:20:06", ...}]
 * Trades carry no correlationId: the caller passes it from the order book.
 */
export function parseDhanTrade(raw: unknown, ctx: ParseContext & { correlationId?: string | null }): Fill {
  const t = raw as Record<string, unknown>;
  const orderId = str(t.orderId);
  if (!orderId) throw new Error('not a Dhan trade');
  const ts = parseIstDateTime(t.exchangeTime) ?? parseIstDateTime(t.createTime) ?? ctx.now;
  const quantity = int(t.tradedQuantity);
  return {
    // Exchange trade ids are unique per exchange; qualify by order for safety across segments
    tradeId: str(t.exchangeTradeId) ?? `${orderId}:${quantity}:${ts}`,
    clientOrderId: clientOrderIdFromCorrelation(ctx.correlationId, orderId),
    brokerOrderId: orderId,
    broker: ctx.broker,
    accountId: ctx.accountId,
    instrument: {
      symbol: str(t.tradingSymbol) ?? str(t.securityId) ?? 'UNKNOWN',
      exchangeSegment: toSegment(t.exchangeSegment),
      securityId: str(t.securityId),
    },
    side: str(t.transactionType)?.toUpperCase() === 'SELL' ? 'SELL' : 'BUY',
    product: DHAN_PRODUCT_MAP[str(t.productType)?.toUpperCase() ?? ''] ?? 'INTRADAY',
    quantity: String(quantity),
    price: dec(t.tradedPrice),
    ts,
    raw: raw ?? null,
  };
}
