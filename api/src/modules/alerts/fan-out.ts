import Decimal from 'decimal.js';
import type { StrategySnapshot } from '../strategies/strategy-snapshot';
import { isEntry, refuse, type Refusal } from '../risk/refusal';
import type { AlertSignal } from './alert-signal';

// What one fan-out target makes of its parent's alert: its own strategy (quantity scaled) and signal, or a refusal
// recorded on its execution. Null: the target's multiplier is 0 (paused), no execution at all.
export type TargetSignal = { strategy: StrategySnapshot; signal: AlertSignal; refusal?: Refusal };

// Quantities count whole lots or shares (the quantity rule): x multiplier, rounded down, never up, so a target
// never trades more than its factor says. position_size (TradingView's target position) is scaled the same way.
const scale = (qty: string, m: Decimal): string =>
  new Decimal(qty).times(m).toDecimalPlaces(0, Decimal.ROUND_DOWN).toFixed();

export function targetSignal(target: StrategySnapshot, signal: AlertSignal): TargetSignal | null {
  const m = new Decimal(target.fanOutMultiplier ?? '1');
  if (m.lte(0)) return null;
  const strategy = { ...target, qty: scale(target.qty, m) };
  const scaled: AlertSignal = {
    ...signal,
    qty: signal.qty === undefined ? undefined : scale(signal.qty, m),
    positionSize: signal.positionSize === undefined ? undefined : scale(signal.positionSize, m),
    prevPositionSize: signal.prevPositionSize === undefined ? undefined : scale(signal.prevPositionSize, m),
  };
  // An entry whose scaled quantity is under one lot or share is refused on that account alone (the alert's own
  // quantity, else the strategy's; a target-position alert is sized by its position_size instead)
  const used = scaled.qty ?? strategy.qty;
  const sizedByPosition = scaled.marketPosition !== undefined && scaled.positionSize !== undefined;
  const refusal =
    isEntry(scaled) && !sizedByPosition && new Decimal(used).lt(1)
      ? refuse(
          'size_too_small',
          `quantity ${signal.qty ?? target.qty} x multiplier ${m.toFixed()} rounds down to less than one lot or share`,
        )
      : undefined;
  return { strategy, signal: scaled, ...(refusal && { refusal }) };
}
