// Exchange freeze limits (the most units one order may carry). The compact master has no such column and the
// exchanges revise the limits with lot sizes, so they are a deployment option keyed by underlying symbol (NIFTY,
// BANKNIFTY, CRUDEOIL, ...) or by exact trading symbol; an instrument without one has no freezeQuantity.
import type { Instrument } from '@algodatta/broker-sdk';
import type { ScripRow } from './scrip-master.parse';

export function withFreezeQuantity(
  inst: Instrument | null,
  row: ScripRow,
  limits: Record<string, number>,
): Instrument | null {
  if (!inst) return inst;
  const limit = limits[row.tradingSymbol] ?? limits[row.underlyingSymbol];
  if (limit && limit > 0) inst.freezeQuantity = String(limit);
  return inst;
}
