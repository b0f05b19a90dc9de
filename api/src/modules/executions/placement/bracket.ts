import type { BracketOrder, BracketOrderRequest, BrokerManifest, Order, OrderRequest } from '@algodatta/broker-sdk';
import Decimal from 'decimal.js';
import { D } from '../../../shared/decimal';
import type { ExitSpec } from '../../exits/exit-spec';
import { distance, firstLevels } from '../../exits/exit-levels';
import type { Sql } from '../../../db/sql';

// An entry whose exits the broker holds (issue 18): one native bracket order (has.bracketOrders; DhanHQ's Super
// Order) carries the entry, the target and the stop loss (and the trail as the broker's trailing jump), and the
// broker does the one-cancels-the-other. Everything else is emulated by the core (exits/exit-plan.service.ts).

/** The exits of a bracket entry as sent, recorded in the execution's broker_request under `bracket`. */
export type BracketLevels = { targetPrice: string; stopLossPrice: string; trailingJump?: string };

export type BracketChoice = { native: true; levels: BracketLevels } | { native: false; why: string };

export type BracketInput = {
  mode: string;
  source: string;
  /** The execution's side and the planned side and quantity: only an entry from flat goes as a bracket */
  side: string;
  plannedSide: 'BUY' | 'SELL';
  position: Decimal;
  request: OrderRequest;
  exits: ExitSpec | null | undefined;
  manifest: Pick<BrokerManifest, 'has'>;
  /** The client implements placeBracketOrder */
  canPlace: boolean;
  /** NATIVE_BRACKETS=off: every exit is emulated */
  disabled: boolean;
};

// Whether the entry goes as a bracket, and its levels. Native only when all of the exits fit one: a LIVE entry
// (not an EXIT, not a reversal: the position is flat) with a target AND a stop (or a trail, which then sets the
// first stop), MARKET or LIMIT, with a price to measure percent and points from. breakeven_at and exit_after have
// no native form: such an entry is emulated whole (mixing a native bracket and an emulated exit on one position
// could send two exits).
export function chooseBracket(input: BracketInput): BracketChoice {
  const no = (why: string): BracketChoice => ({ native: false, why });
  const spec = input.exits;
  if (input.disabled) return no('NATIVE_BRACKETS is off');
  if (input.mode !== 'LIVE') return no('paper exits are emulated');
  if (!input.manifest.has.bracketOrders || !input.canPlace) return no('the broker declares no bracket orders');
  if (!spec || !Object.values(spec).some((v) => v !== undefined)) return no('no exits');
  if (input.source === 'exit' || input.side === 'EXIT' || input.side !== input.plannedSide || !input.position.isZero())
    return no('not an entry from flat');
  if (spec.breakevenAt || spec.exitAfterMinutes) return no('breakeven_at and exit_after are not native');
  if (!spec.takeProfit || (!spec.stopLoss && !spec.trailingStop)) return no('a bracket needs a target and a stop');
  const type = input.request.type;
  if (type !== 'MARKET' && type !== 'LIMIT') return no(`a ${type} entry has no bracket form`);
  const basis = type === 'LIMIT' ? input.request.price : input.request.referencePrice;
  if (!basis) return no('no price to set the levels from');
  const levels = bracketLevels(spec, input.plannedSide, basis, input.request.instrument.tickSize);
  return levels ? { native: true, levels } : no('the levels do not fit around the price');
}

// The levels an emulated plan would start with (exits/exit-levels.ts), measured from the alert's price and put on the
// tick: the stop and the target rounded away from the price, so rounding never tightens them; a trail's distance
// becomes the jump, on the nearest tick (at least one)
export function bracketLevels(
  spec: ExitSpec,
  side: 'BUY' | 'SELL',
  price: string,
  tickSize?: string,
): BracketLevels | null {
  const at = new D(price);
  const tick = tickSize && new D(tickSize).gt(0) ? new D(tickSize) : new D('0.05');
  const up = side === 'BUY' ? 1 : -1;
  const first = firstLevels(spec, side === 'BUY' ? 'LONG' : 'SHORT', at);
  if (!first.target || !first.stop) return null;
  const onTick = (value: Decimal, away: number) =>
    value
      .div(tick)
      .toDecimalPlaces(0, away > 0 ? Decimal.ROUND_CEIL : Decimal.ROUND_FLOOR)
      .times(tick);
  const target = onTick(first.target, up);
  const stop = onTick(first.stop, -up);
  const trail = spec.trailingStop;
  const jump =
    trail && trail.kind !== 'price'
      ? Decimal.max(tick, distance(trail, at).div(tick).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).times(tick))
      : undefined;
  if (up > 0 ? !(target.gt(at) && stop.lt(at) && stop.gt(0)) : !(target.lt(at) && stop.gt(at) && target.gt(0)))
    return null;
  return {
    targetPrice: target.toFixed(),
    stopLossPrice: stop.toFixed(),
    ...(jump && { trailingJump: jump.toFixed() }),
  };
}

export function bracketRequest(request: OrderRequest, levels: BracketLevels): BracketOrderRequest {
  return {
    clientOrderId: request.clientOrderId,
    instrument: request.instrument,
    side: request.side,
    type: request.type as 'MARKET' | 'LIMIT',
    product: request.product,
    quantity: request.quantity,
    ...(request.type === 'LIMIT' && request.price && { price: request.price }),
    ...levels,
  };
}

const LIVE: ReadonlySet<string> = new Set(['pending_submit', 'open', 'partially_filled', 'active', 'triggered']);
/** A bracket the broker still works (its entry, or an exit leg) */
export const bracketWorking = (b: BracketOrder) => LIVE.has(b.status);

// The entry leg as an order report for the one update path: its status only (fills come from the entry's own order
// reports, under its clientOrderId)
export function entryOrderOf(b: BracketOrder): Order {
  const entry = b.legs.find((l) => l.leg === 'entry');
  const status =
    b.status === 'rejected'
      ? 'rejected'
      : b.status === 'cancelled' && new D(entry?.filledQuantity ?? 0).isZero()
        ? 'cancelled'
        : b.status === 'expired'
          ? 'expired'
          : 'open';
  return {
    clientOrderId: b.clientOrderId,
    brokerOrderId: b.brokerOrderId,
    broker: b.broker,
    accountId: b.accountId,
    instrument: b.instrument,
    side: b.side,
    type: 'MARKET',
    product: b.product,
    timeInForce: 'DAY',
    quantity: b.quantity,
    status,
    filledQuantity: '0',
    createdAt: b.createdAt,
    updatedAt: b.updatedAt,
    raw: b.raw,
  } as Order;
}

/** The exit leg of a bracket an exit execution books (its alert's extras.bracket, written by exits/native-brackets.ts) */
export type BracketLegRef = {
  entryExecutionId: string;
  leg: 'target' | 'stopLoss';
  brokerOrderId: string;
  qty: string;
};

/** The alert's exits of an execution (strategy defaults merged with the alert's fields at intake) */
export async function exitsOf(sql: Sql, executionId: string): Promise<ExitSpec | null> {
  const [row] = await sql.query<{ exits: ExitSpec | null }>(
    `select a.payload->'exits' as exits from executions e join alerts a on a.id = e.alert_id where e.id = ?`,
    [executionId],
  );
  return row?.exits && typeof row.exits === 'object' ? row.exits : null;
}

export async function bracketLegOf(sql: Sql, executionId: string): Promise<BracketLegRef | null> {
  const [row] = await sql.query<{ leg: BracketLegRef | null }>(
    `select a.payload->'extras'->'bracket' as leg from executions e join alerts a on a.id = e.alert_id
     where e.id = ? and e.source = 'exit'`,
    [executionId],
  );
  const leg = row?.leg;
  return leg && typeof leg === 'object' && leg.brokerOrderId ? leg : null;
}

export const bracketKey = (entryExecutionId: string, leg: string) => `bracket:${entryExecutionId}:${leg}`;
// The leg's second key, used once when its booking under bracketKey was refused (exits/native-brackets.ts)
export const bracketFactKey = (entryExecutionId: string, leg: string) => `${bracketKey(entryExecutionId, leg)}:fact`;

// The position's native bracket entries that may still be working at the broker: placed (or filled) in the last
// week, no exit leg of them booked yet, newest first
export function openBrackets(
  sql: Sql,
  p: { id: string; strategyId: string; symbol: string; mode: string },
): Promise<Array<{ id: string; clientOrderId: string; brokerOrderId: string | null; status: string }>> {
  return sql.query(
    `select e.id, e.client_order_id as "clientOrderId", e.broker_order_id as "brokerOrderId", e.status
     from executions e
     where e.strategy_id = ? and e.symbol = ? and e.mode = ? and e.id <> ?
       and e.status in ('PLACED', 'PARTIALLY_FILLED', 'FILLED') and e.created_at > now() - interval '7 days'
       and e.broker_request->'bracket' is not null
       -- An exit execution adopted one of its legs: the bracket is over
       and not exists (select 1 from executions x where x.strategy_id = e.strategy_id and x.source = 'exit'
                       and x.created_at >= e.created_at and x.broker_request->'bracketLeg'->>'entryExecutionId' = e.id::text)
     order by e.created_at desc limit 5`,
    [p.strategyId, p.symbol, p.mode, p.id],
  );
}

// Every LIVE native bracket entry that may still be working at its broker (the kill switch cancels them)
export function workingBrackets(sql: Sql): Promise<
  Array<{
    id: string;
    clientOrderId: string;
    brokerOrderId: string | null;
    status: string;
    mode: string;
    broker: string;
    brokerAccountId: string | null;
    strategyId: string;
    userId: string;
  }>
> {
  return sql.query(
    `select e.id, e.client_order_id as "clientOrderId", e.broker_order_id as "brokerOrderId", e.status, e.mode, e.broker,
       e.broker_account_id as "brokerAccountId", e.strategy_id as "strategyId", e.user_id as "userId"
     from executions e
     where e.mode = 'LIVE' and e.status in ('PLACED', 'PARTIALLY_FILLED', 'FILLED')
       and e.created_at > now() - interval '7 days' and e.broker_request->'bracket' is not null
       and not exists (select 1 from executions x where x.strategy_id = e.strategy_id and x.source = 'exit'
                       and x.created_at >= e.created_at and x.broker_request->'bracketLeg'->>'entryExecutionId' = e.id::text)`,
    [],
  );
}
