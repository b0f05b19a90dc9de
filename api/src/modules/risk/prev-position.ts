import Decimal from 'decimal.js';
import type { MarketPosition } from '../alerts/alert-signal';
import { SizingMode } from './sizing-mode';

const SIDES: readonly string[] = ['long', 'short', 'flat'];

function field(body: Record<string, unknown>, name: string): unknown {
  if (body[name] !== undefined && body[name] !== null) return body[name];
  const extras = body.extras;
  return extras && typeof extras === 'object' && !Array.isArray(extras)
    ? (extras as Record<string, unknown>)[name]
    : undefined;
}

// TradingView's position before the alert's order: {{strategy.prev_market_position}} and, when sent,
// {{strategy.prev_market_position_size}}, at the top level or inside extras (where the generated message puts it).
// Only informs the position check: a value that is not long/short/flat (an unreplaced placeholder) is ignored
// rather than refusing the alert.
export function readPrevPosition(body: Record<string, unknown>): {
  prevMarketPosition?: MarketPosition;
  prevPositionSize?: string;
} {
  const side = String(field(body, 'prev_market_position') ?? '')
    .trim()
    .toLowerCase();
  if (!SIDES.includes(side)) return {};
  const size = String(field(body, 'prev_market_position_size') ?? '').trim();
  const known = /^-?\d+(\.\d+)?$/.test(size) ? new Decimal(size).abs() : null;
  return {
    prevMarketPosition: side as MarketPosition,
    ...(known && (side !== 'flat' || known.isZero()) && { prevPositionSize: known.toFixed() }),
  };
}

// What the position check compares (order units): TradingView's size means ours only when we trade its sizes (ALERT)
// or a multiple of them (MULTIPLIER); other sizing modes hold their own size, so only the side is compared
export function positionCheckInput(
  signal: { prevMarketPosition?: MarketPosition; prevPositionSize?: string },
  lotSize: string,
  sizing: { sizingMode?: SizingMode; sizingValue?: string | null },
): { prevMarketPosition: MarketPosition; prevPositionQty?: string } | undefined {
  if (!signal.prevMarketPosition) return undefined;
  const mode = sizing.sizingMode ?? SizingMode.ALERT;
  const comparable =
    signal.prevPositionSize !== undefined &&
    (mode === SizingMode.ALERT || (mode === SizingMode.MULTIPLIER && sizing.sizingValue));
  if (!comparable) return { prevMarketPosition: signal.prevMarketPosition };
  let size = new Decimal(signal.prevPositionSize!);
  if (mode === SizingMode.MULTIPLIER) size = size.times(sizing.sizingValue!).floor();
  return { prevMarketPosition: signal.prevMarketPosition, prevPositionQty: size.times(lotSize).toFixed() };
}
