import { D, money } from '../../shared/decimal';
import type { StopLevel } from '../risk/stop-level';
import type { ExitSpec } from './exit-spec';

export type PlanSide = 'LONG' | 'SHORT';
/** What set the stop where it is: the first stop loss, the trail, or the move to the entry price */
export type StopOrigin = 'stop_loss' | 'trailing_stop' | 'breakeven';
export type ExitReason = StopOrigin | 'take_profit' | 'exit_after';

// A plan's levels, all decimals as text (4 dp, as the table stores them)
export type PlanLevels = {
  side: PlanSide;
  entryPrice: string;
  stopPrice: string | null;
  stopOrigin: StopOrigin | null;
  takeProfitPrice: string | null;
  trail: StopLevel | null;
  bestPrice: string;
  breakevenPrice: string | null;
  breakevenDone: boolean;
  expiresAt: Date | null;
};

export type PlanMove = { kind: 'trail' | 'breakeven'; from: string | null; to: string; price: string };
export type PlanStep = { levels: PlanLevels; moves: PlanMove[]; trigger?: { reason: ExitReason; level: string } };

// A level's distance from a price: points as they are, a percent of the price (not for a price level)
export const distance = (level: StopLevel, from: D): D =>
  level.kind === 'points' ? new D(level.value) : from.times(level.value).div(100);

// sign: +1 in the position's favour (up for a long), -1 against it
const offset = (level: StopLevel, from: D, sign: 1 | -1): D =>
  level.kind === 'price' ? new D(level.value) : from.plus(distance(level, from).times(sign));

const better = (side: PlanSide, a: D, b: D) => (side === 'LONG' ? a.gt(b) : a.lt(b));

/** The first levels measured from one price, unrounded (an emulated plan's and a native bracket's alike) */
export type FirstLevels = { stop: D | null; stopOrigin: StopOrigin | null; target: D | null; breakeven: D | null };

// A long's stop below the price, its target and breakeven level above (a short's the other way); the tighter of the
// stop loss and the trail starts the stop
export function firstLevels(spec: ExitSpec, side: PlanSide, from: D): FirstLevels {
  const up: 1 | -1 = side === 'LONG' ? 1 : -1;
  const down = -up as 1 | -1;
  let stop = spec.stopLoss ? offset(spec.stopLoss, from, down) : null;
  let stopOrigin: StopOrigin | null = stop ? 'stop_loss' : null;
  if (spec.trailingStop) {
    const trailed = offset(spec.trailingStop, from, down);
    if (!stop || better(side, trailed, stop)) [stop, stopOrigin] = [trailed, 'trailing_stop'];
  }
  return {
    stop,
    stopOrigin,
    target: spec.takeProfit ? offset(spec.takeProfit, from, up) : null,
    breakeven: spec.breakevenAt ? offset(spec.breakevenAt, from, up) : null,
  };
}

// Levels from the entry's fill price (4 dp, not on a tick: the core judges them against observed prices)
export function initialLevels(spec: ExitSpec, side: PlanSide, fillPrice: string, now: Date): PlanLevels {
  const entry = new D(fillPrice);
  const first = firstLevels(spec, side, entry);
  return {
    side,
    entryPrice: money(entry),
    stopPrice: first.stop ? money(first.stop) : null,
    stopOrigin: first.stopOrigin,
    takeProfitPrice: first.target ? money(first.target) : null,
    trail: spec.trailingStop ?? null,
    bestPrice: money(entry),
    breakevenPrice: first.breakeven ? money(first.breakeven) : null,
    breakevenDone: false,
    expiresAt: spec.exitAfterMinutes ? new Date(now.getTime() + spec.exitAfterMinutes * 60_000) : null,
  };
}

// One observed price against a plan. Exits are judged on the levels as they stood before this price (a stop or a
// target crossed is one exit, whichever side); only then do the trail and breakeven move the stop, never backwards.
export function stepLevels(levels: PlanLevels, observed: string): PlanStep {
  const price = new D(observed);
  const long = levels.side === 'LONG';
  if (levels.stopPrice && (long ? price.lte(levels.stopPrice) : price.gte(levels.stopPrice)))
    return { levels, moves: [], trigger: { reason: levels.stopOrigin ?? 'stop_loss', level: levels.stopPrice } };
  if (levels.takeProfitPrice && (long ? price.gte(levels.takeProfitPrice) : price.lte(levels.takeProfitPrice)))
    return { levels, moves: [], trigger: { reason: 'take_profit', level: levels.takeProfitPrice } };
  const next = { ...levels };
  const moves: PlanMove[] = [];
  const raise = (to: D, kind: PlanMove['kind'], origin: StopOrigin) => {
    if (next.stopPrice && !better(levels.side, to, new D(next.stopPrice))) return;
    moves.push({ kind, from: next.stopPrice, to: money(to), price: money(price) });
    next.stopPrice = money(to);
    next.stopOrigin = origin;
  };
  if (better(levels.side, price, new D(levels.bestPrice))) {
    next.bestPrice = money(price);
    if (levels.trail) raise(offset(levels.trail, price, long ? -1 : 1), 'trail', 'trailing_stop');
  }
  if (
    levels.breakevenPrice &&
    !levels.breakevenDone &&
    (long ? price.gte(levels.breakevenPrice) : price.lte(levels.breakevenPrice))
  ) {
    next.breakevenDone = true;
    raise(new D(levels.entryPrice), 'breakeven', 'breakeven');
  }
  return { levels: next, moves };
}
