import Decimal from 'decimal.js';
import type { Position } from '@algodatta/broker-sdk';
import { DHAN_PRODUCT_MAP } from '../dhan/dhan-enums.map';
import { toSegment } from './order.parse';
import type { ParseContext } from './order.parse';
import { dec, int, str } from './values.parse';

/*
 * GET /positions (DhanHQ-py tests/data): [{"dhanClientId":"1000000009","tradingSymbol":"TCS","securityId":"11536",
 *  "positionType":"LONG","exchangeSegment":"NSE_EQ","productType":"CNC","buyAvg":3345.8,"costPrice":3215.0,"buyQty":40,
 *  "sellAvg":0.0,"sellQty":0,"netQty":40,"realizedProfit":0.0,"unrealizedProfit":6122.0, ...}]
 */
export function parseDhanPosition(raw: unknown, ctx: ParseContext): Position {
  const p = raw as Record<string, unknown>;
  const net = int(p.netQty);
  // Average of the open side; costPrice when Dhan gives it (carry-forward positions)
  const side = net > 0 ? dec(p.buyAvg) : net < 0 ? dec(p.sellAvg) : '0';
  const cost = dec(p.costPrice);
  const average = net !== 0 && new Decimal(cost).gt(0) ? cost : side;
  return {
    broker: ctx.broker,
    accountId: ctx.accountId,
    instrument: {
      symbol: str(p.tradingSymbol) ?? str(p.securityId) ?? 'UNKNOWN',
      exchangeSegment: toSegment(p.exchangeSegment),
      securityId: str(p.securityId),
    },
    product: DHAN_PRODUCT_MAP[str(p.productType)?.toUpperCase() ?? ''] ?? 'INTRADAY',
    netQuantity: String(net),
    averagePrice: new Decimal(average).abs().toFixed(),
    realizedPnl: dec(p.realizedProfit),
    unrealizedPnl: dec(p.unrealizedProfit),
    raw: raw ?? null,
  };
}
