import Decimal from 'decimal.js';

// The alert's stop_loss: a number is a price; "1.5%" a percent of the entry price; "20pts" (or "20 points") points
export type StopLevel = { kind: 'price' | 'percent' | 'points'; value: string };

const FORM = /^(\d+(?:\.\d+)?)\s*(%|pts?|points?)?$/i;

export function parseStopLevel(raw: unknown): StopLevel | null {
  const text =
    typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  const match = FORM.exec(text);
  if (!match || !new Decimal(match[1]).gt(0)) return null;
  const kind = !match[2] ? 'price' : match[2] === '%' ? 'percent' : 'points';
  if (kind === 'percent' && new Decimal(match[1]).gte(100)) return null;
  return { kind, value: new Decimal(match[1]).toFixed() };
}

export const STOP_LEVEL_HINT =
  'stop_loss must be a price (e.g. 2450.5), a percent of the price ("1.5%") or points ("20pts")';

// Distance per unit from the entry price to the stop, or why there is none. A price stop must be on the losing
// side of the entry (below a buy, above a sell).
export function stopDistance(
  stop: StopLevel,
  price: Decimal,
  side: 'BUY' | 'SELL',
): { ok: true; distance: Decimal } | { ok: false; message: string } {
  if (stop.kind === 'points') return { ok: true, distance: new Decimal(stop.value) };
  if (stop.kind === 'percent') return { ok: true, distance: price.times(stop.value).div(100) };
  const distance = side === 'BUY' ? price.minus(stop.value) : new Decimal(stop.value).minus(price);
  if (distance.lte(0))
    return {
      ok: false,
      message: `stop_loss ${stop.value} is not ${side === 'BUY' ? 'below' : 'above'} the price ${price.toFixed()} of this ${side.toLowerCase()}`,
    };
  return { ok: true, distance };
}
