import type { ExchangeSegment, Holding } from '@algodatta/broker-sdk';
import type { ParseContext } from './order.parse';
import { dec, int, str } from './values.parse';

/*
 * GET /holdings: [{"exchange":"ALL","tradingSymbol":"HDFC","securityId":"1330","isin":"INE001A01036","totalQty":1000,
 *  "dpQty":1000,"t1Qty":0,"availableQty":1000,"collateralQty":0,"avgCostPrice":2655.0,"lastTradedPrice":2700.0}]
 * `exchange` is "ALL", "NSE" or "BSE": holdings are per ISIN, so NSE is the default segment.
 */
export function parseDhanHolding(raw: unknown, ctx: ParseContext): Holding {
  const h = raw as Record<string, unknown>;
  const segment: ExchangeSegment = str(h.exchange)?.toUpperCase() === 'BSE' ? 'BSE_EQ' : 'NSE_EQ';
  const ltp = dec(h.lastTradedPrice, '');
  const holding: Holding = {
    broker: ctx.broker,
    accountId: ctx.accountId,
    instrument: {
      symbol: str(h.tradingSymbol) ?? str(h.isin) ?? 'UNKNOWN',
      exchangeSegment: segment,
      securityId: str(h.securityId),
    },
    quantity: String(Math.max(0, int(h.totalQty))),
    averagePrice: dec(h.avgCostPrice),
    raw: raw ?? null,
  };
  if (ltp && !ltp.startsWith('-')) holding.lastPrice = ltp;
  return holding;
}
