import Decimal from 'decimal.js';
import type { Funds } from '@algodatta/broker-sdk';
import type { ParseContext } from './order.parse';
import { dec } from './values.parse';

/*
 * GET /fundlimit (the misspellings are the real field names):
 * {"dhanClientId":"1000000009","availabelBalance":98440.0,"sodLimit":113642,"collateralAmount":0.0,
 *  "receiveableAmount":0.0,"utilizedAmount":15202.0,"blockedPayoutAmount":0.0,"withdrawableBalance":98310.0}
 */
export function parseDhanFunds(raw: unknown, ctx: ParseContext): Funds {
  const f = (raw ?? {}) as Record<string, unknown>;
  // Accept a corrected spelling too, in case Dhan ever fixes it
  const available = dec(f.availabelBalance ?? f.availableBalance);
  const used = Decimal.max(new Decimal(dec(f.utilizedAmount)), 0).toFixed();
  return {
    broker: ctx.broker,
    accountId: ctx.accountId,
    currency: 'INR',
    available,
    used,
    total: new Decimal(available).plus(used).toFixed(),
    raw: raw ?? null,
  };
}
