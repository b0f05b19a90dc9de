import type { StrategySnapshot } from '../strategies/strategy-snapshot';
import { refuse, Refusal } from './refusal';

// A TradingView delivery can arrive minutes late (their queue, our restart): an entry at that old price is refused.
// The age is read from the alert's own `time` ({{timenow}}); alerts without one pass, and a time ahead of our
// clock (skew) counts as fresh. Exits are never refused for age: holding a position TradingView has left is the
// larger risk.
export function staleSignal(
  strategy: Pick<StrategySnapshot, 'maxSignalAgeSeconds'>,
  firedAt: string | undefined,
  now: Date,
): Refusal | null {
  const maxAge = strategy.maxSignalAgeSeconds;
  if (!firedAt || !maxAge) return null;
  const ageMs = now.getTime() - Date.parse(firedAt);
  if (!(ageMs > maxAge * 1000)) return null;
  return refuse(
    'stale_signal',
    `the alert's time ${firedAt} is ${Math.round(ageMs / 1000)} s old, above the strategy's maximum of ${maxAge} s`,
  );
}
