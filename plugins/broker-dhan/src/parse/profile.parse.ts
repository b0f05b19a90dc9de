import type { ExchangeSegment, Profile } from '@algodatta/broker-sdk';
import type { ParseContext } from './order.parse';
import { parseIstDayFirst, str } from './values.parse';

const SEGMENT_WORDS: Record<string, ExchangeSegment[]> = {
  equity: ['NSE_EQ', 'BSE_EQ'],
  derivative: ['NSE_FNO', 'BSE_FNO'],
  currency: ['NSE_CURRENCY', 'BSE_CURRENCY'],
  commodity: ['MCX_COMM'],
};

/*
 * GET /profile: {"dhanClientId":"1100003626","tokenValidity":"30/03/2025 15:37","activeSegment":"Equity, Derivative,
 *  Currency, Commodity","ddpi":"Active","mtf":"Active","dataPlan":"Active","dataValidity":"2024-12-05 09:37:52.0"}
 */
export function parseDhanProfile(raw: unknown, ctx: ParseContext): Profile {
  const p = (raw ?? {}) as Record<string, unknown>;
  const segments = (str(p.activeSegment) ?? '').split(',').flatMap((w) => SEGMENT_WORDS[w.trim().toLowerCase()] ?? []);
  const profile: Profile = { broker: ctx.broker, accountId: ctx.accountId, raw: raw ?? null };
  const clientId = str(p.dhanClientId);
  if (clientId) profile.clientId = clientId;
  const expires = parseIstDayFirst(p.tokenValidity);
  if (expires !== undefined) profile.tokenExpiresAt = expires;
  if (segments.length) profile.segments = segments;
  return profile;
}
