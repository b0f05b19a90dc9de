import type { Sql } from '../../../db/sql';
import type { BracketLegRef } from '../placement/bracket';
import { OrderSide, OrderType, TradingMode } from '../../../shared/enums';

// What one attempt needs of its execution, read by the claim itself (no second statement, no entity)
export type ClaimedExecution = {
  id: string;
  attempt: number;
  strategyId: string;
  clientOrderId: string;
  /** The alert's correlation id, for the attempt's logs (the claim may take an older alert than the one asked for) */
  correlationId: string;
  symbol: string;
  exchangeSegment: string;
  securityId?: string;
  lotSize?: string;
  tickSize?: string;
  side: OrderSide;
  orderType: OrderType;
  productType: string;
  qty: string;
  price?: string;
  triggerPrice?: string;
  mode: TradingMode;
  source: string;
  userId: string;
  /** The broker and account its orders go to (accountId null: LIVE, recorded when first placed) */
  broker: string;
  brokerAccountId: string | null;
  /** The quantity the alert asked for, order units (qty becomes what an attempt planned); 0: none (EXIT) */
  requestedQty: string;
  /** TradingView's position after the alert's order (long | short | flat), when the alert carried it */
  marketPosition?: 'long' | 'short' | 'flat';
  /** Its size in order units (absolute), when the alert carried position_size */
  marketPositionQty?: string;
  /** The strategy's signed position in this symbol when the attempt began (0 when it has none) */
  positionQty: string;
  /** That position row's revision (null when it has none yet) */
  positionRevision: number | null;
  /** TradingView's position before the alert (prev_market_position), for the position check (risk/position-check.ts) */
  positionCheck?: unknown;
};

type Row = {
  id: string;
  attempts: number;
  strategy_id: string;
  client_order_id: string;
  correlation_id: string;
  symbol: string;
  exchange_segment: string;
  security_id: string | null;
  lot_size: string | null;
  tick_size: string | null;
  side: OrderSide;
  order_type: OrderType;
  product_type: string;
  qty: string;
  price: string | null;
  trigger_price: string | null;
  mode: TradingMode;
  source: string;
  position_qty: string | null;
  position_revision: number | null;
  market_position: 'long' | 'short' | 'flat' | null;
  market_position_qty: string | null;
  requested_qty: string;
  user_id: string;
  broker: string;
  broker_account_id: string | null;
  position_check: unknown;
};

const opt = (v: string | null) => v ?? undefined;

/** Where a position's queue stands for an attempt (see claimNext). */
export type ClaimOutcome =
  /** The position's oldest waiting executions, in arrival order (one, or a batch when more were asked for) */
  | { kind: 'claimed'; executions: ClaimedExecution[] }
  /** Nothing of the position at or before the asked-for execution is waiting: it was done, or taken by another */
  | { kind: 'none' }
  /** The oldest waiting one is leased by an attempt that no longer holds the turn (its process died): wait for the
   * lease to run out, then take it, so no later alert is decided before it */
  | { kind: 'held'; until: Date }
  /** An older waiting one (or every waiting one up to the asked-for) is being changed right now (row locked), or an
   * insert of this process that may hold an older one has not committed yet: ask again in a moment */
  | { kind: 'busy' };

// The oldest PENDING, due executions of a position up to the latest of `uptoIds`, claimed in one statement with a
// lease: at most `limit` of them, consecutive in arrival order (a batch, issue 13: a backlog costs one claim per batch,
// not one per order). Arrival order is (created_at, id): created_at is the arrival stamp (arrival-clock.ts), unique
// within a process, but two processes stamp from their own clocks and can stamp the same microsecond; id settles such
// a tie the same way for every process (ordered by created_at alone, the tie went to whichever row a scan met first,
// and two processes decided tied alerts in either order). Through the open-executions index, so a backlog of
// thousands costs no more.
// It runs while the position's turn is held (see position-turns.ts), so of the processes holding work for this
// position exactly one decides at a time, and it decides the queue's head, whoever received that alert: two processes
// draining a backlog never decide a position's alerts out of arrival order, and the conditional UPDATE (PENDING,
// lease free) never lets two attempts claim one execution.
// FOR UPDATE SKIP LOCKED takes the heads without waiting behind a writer that holds a row; such a row is not simply
// skipped though (that would decide a later alert first): `gap` is the first waiting row the batch does not hold, and
// the batch stops before it (before the head too, and the claim answers busy, when it is older than the head; also
// when every waiting row up to `uptoIds` is locked and there is no head at all). It stops as well at a leased row
// and at one stamped from `unsettledFrom` on: the arrival stamp from which this process's inserts may not have
// committed yet (arrival-clock.ts), since an older alert of the position may be in that insert. (Another process's
// inserts in flight are not known here; see the executions README on arrival order.)
// A live lease on the head while the turn is held belongs to a holder that is gone (its session, and so the turn,
// went with its process); the head then waits for the lease to run out, as the issue's dead-process rule says.
const due = (t: string) =>
  `${t}status = 'PENDING' and (${t}next_attempt_at is null or ${t}next_attempt_at <= now() + interval '50 milliseconds')`;
// At or before `upto` in arrival order (the created_at bound alone is the index's; the row comparison settles ties)
const upTo = (t: string) =>
  `${t}created_at <= (select created_at from upto) and (${t}created_at, ${t}id) <= (select created_at, id from upto)`;
const position = (t: string) => `${t}strategy_id = ? and ${t}symbol = ? and ${t}mode = ?`;
// `upto`: the later of two executions, each found by its id (an array of ids planned a scan of executions)
const CLAIM_SQL = `with upto as (select created_at, id from (select created_at, id from executions where id = ?
    union all select created_at, id from executions where id = ?) two order by created_at desc, id desc limit 1),
  heads as (select id, created_at, lease_until from executions
    where ${position('')} and ${due('')} and ${upTo('')}
    order by created_at, id limit ? for update skip locked),
  head as (select id, created_at, lease_until from heads order by created_at, id limit 1),
  gap as (select o.created_at, o.id from executions o
    where ${position('o.')} and ${due('o.')} and ${upTo('o.')} and o.id not in (select id from heads)
    order by o.created_at, o.id limit 1),
  stops as (select created_at, id from heads where lease_until >= now() or created_at >= coalesce(?::timestamptz, 'infinity')
    union all select created_at, id from gap),
  stop as (select created_at, id from stops order by created_at, id limit 1),
  chosen as (select id from heads where not exists (select 1 from stop) or (created_at, id) < (select created_at, id from stop)),
  pos as (select p.qty, p.revision from positions p where ${position('p.')}),
  claimed as (update executions set lease_until = now() + (? * interval '1 millisecond'), attempts = attempts + 1, updated_at = now()
    from chosen where executions.id = chosen.id
    returning executions.id, executions.created_at, attempts, strategy_id, client_order_id, correlation_id, symbol, exchange_segment, security_id, lot_size, tick_size, side,
      order_type, product_type, qty, price, trigger_price, mode, source, market_position, market_position_qty,
      coalesce(requested_qty, qty) as requested_qty, user_id, broker, broker_account_id, position_check)
  select claimed.*, (select qty from pos) as position_qty, (select revision from pos) as position_revision,
    head.id as head_id, head.lease_until as head_lease_until,
    exists (select 1 from gap where not exists (select 1 from head) or (gap.created_at, gap.id) < (head.created_at, head.id)) as behind,
    head.created_at >= coalesce(?::timestamptz, 'infinity') as unsettled
  from (select 1) one left join head on true left join claimed on true
  order by claimed.created_at, claimed.id`;

export type QueuePosition = { strategyId: string; symbol: string; mode: string };

// `uptoIds`: the execution this attempt is for, and (for a batch) the ones queued behind it in this process: the
// claim goes up to the later of the first and the last of them
export async function claimNext(
  sql: Sql,
  queue: QueuePosition,
  uptoIds: string | string[],
  leaseMs: number,
  unsettledFrom: string | null = null,
  limit = 1,
): Promise<ClaimOutcome> {
  const p = [queue.strategyId, queue.symbol, queue.mode];
  const ids = typeof uptoIds === 'string' ? [uptoIds] : uptoIds;
  const upto = [ids[0], ids[ids.length - 1]];
  const rows = await sql.query<
    Partial<Row> & { head_id: string | null; head_lease_until: Date | null; behind: boolean; unsettled: boolean }
  >(CLAIM_SQL, [...upto, ...p, limit, ...p, unsettledFrom, ...p, leaseMs, unsettledFrom]);
  const r = rows[0];
  if (r?.id) return { kind: 'claimed', executions: rows.map((row) => toClaimed(row as Row)) };
  if (r?.behind || r?.unsettled) return { kind: 'busy' };
  if (!r?.head_id) return { kind: 'none' };
  if (r.head_lease_until && r.head_lease_until.getTime() > Date.now())
    return { kind: 'held', until: r.head_lease_until };
  // The head's lease ran out between the statement's reads: take it on the next pass
  return { kind: 'busy' };
}

function toClaimed(r: Row): ClaimedExecution {
  return {
    id: r.id,
    attempt: r.attempts,
    strategyId: r.strategy_id,
    clientOrderId: r.client_order_id,
    correlationId: r.correlation_id,
    symbol: r.symbol,
    exchangeSegment: r.exchange_segment,
    securityId: opt(r.security_id),
    lotSize: opt(r.lot_size),
    tickSize: opt(r.tick_size),
    side: r.side,
    orderType: r.order_type,
    productType: r.product_type,
    qty: r.qty,
    price: opt(r.price),
    triggerPrice: opt(r.trigger_price),
    mode: r.mode,
    source: r.source,
    userId: r.user_id,
    broker: r.broker,
    brokerAccountId: r.broker_account_id,
    positionQty: r.position_qty ?? '0',
    positionRevision: r.position_revision,
    requestedQty: r.requested_qty,
    marketPosition: r.market_position ?? undefined,
    marketPositionQty: opt(r.market_position_qty),
    positionCheck: r.position_check ?? undefined,
  };
}

// `plan` says how the order's side and quantity were decided (see order-planner.ts), for the execution's record
export type Placement = {
  qty: string;
  broker: string;
  request: unknown;
  response: unknown;
  brokerOrderId?: string;
  algoId?: string;
  plan?: unknown;
};

// The execution's lease released, and with RELEASE_PLACED the placement recorded (placementParams, in order); both
// return what the alert's update reads
const RELEASE = `update executions set lease_until = null where id = ? returning id, alert_id, status, reject_reason, last_error`;
const RELEASE_PLACED = `update executions set lease_until = null, qty = ?, broker = ?, broker_request = ?, broker_response = ?,
         broker_order_id = coalesce(broker_order_id, ?), algo_id = coalesce(algo_id, ?), plan = coalesce(?::jsonb, plan), updated_at = now()
       where id = ? returning id, alert_id, status, reject_reason, last_error`;
// The alert marked done once the execution `released` (a CTE of RELEASE's) left PENDING. The alert is found by the id
// released returns, as a scalar: joined on it, a generic plan made while alerts was small scanned the whole table on
// every call (0.15 ms with 3,000 alerts, 1.6 ms with 45,000).
const finishAlert = (released: string) =>
  `update alerts a set processed_at = now(), status = case when e.status in ('REJECTED', 'FAILED') then 'REJECTED' else 'PROCESSED' end,
       reject_reason = coalesce(a.reject_reason, e.reject_reason), error_text = coalesce(a.error_text, e.last_error)
     from ${released} e where a.id = (select alert_id from ${released}) and e.status <> 'PENDING' and a.processed_at is null returning 1`;
// Without a position turn to give back (see position-turns.ts)
const NO_TURN = `select count(*) from finished`;
const GIVE_TURN = `select pg_advisory_unlock(hashtextextended(?, 0)) from (select count(*) from finished) f`;

// Ends an attempt in one statement: the lease goes, the request and the broker's answer are recorded (when the
// attempt placed an order), the alert is marked done once its execution has left PENDING (placed, filled,
// rejected or dead-lettered), and the position's turn across processes is given back (turnKey, on the turn's
// connection: a session advisory lock is released by the session that holds it).
export async function finishAttempt(
  sql: Sql,
  executionId: string,
  placed?: Placement,
  turnKey?: string,
): Promise<void> {
  const last = turnKey === undefined ? NO_TURN : GIVE_TURN;
  const turnParams = turnKey === undefined ? [] : [turnKey];
  if (!placed) {
    await sql.query(`with released as (${RELEASE}), finished as (${finishAlert('released')}) ${last}`, [
      executionId,
      ...turnParams,
    ]);
    return;
  }
  await sql.query(`with released as (${RELEASE_PLACED}), finished as (${finishAlert('released')}) ${last}`, [
    ...placementParams(executionId, placed),
    ...turnParams,
  ]);
}

// What finishAttempt records of a placement, in its statement's order
const placementParams = (executionId: string, placed: Placement): unknown[] => [
  placed.qty,
  placed.broker,
  JSON.stringify(placed.request),
  placed.response === undefined ? null : JSON.stringify(placed.response),
  placed.brokerOrderId ?? null,
  placed.algoId ?? null,
  placed.plan === undefined ? null : JSON.stringify(placed.plan),
  executionId,
];

// The ends of a batch's placed attempts (each execution already left PENDING inside the turn: a simulated venue's
// fill), written after the turn in one statement: finishAttempt's two updates once per execution, each finding its
// row by id (a join of the batch's ids with executions and alerts planned scans of both tables, hot-statement-plans).
// One text per padded batch size (see finishAttempts), each prepared once per connection.
const finishMany = new Map<number, string>();
function finishManySql(n: number): string {
  let text = finishMany.get(n);
  if (text === undefined) {
    const parts = Array.from(
      { length: n },
      (_, i) => `r${i} as (${RELEASE_PLACED}),\n     f${i} as (${finishAlert(`r${i}`)})`,
    );
    text = `with ${parts.join(',\n     ')} select 1`;
    finishMany.set(n, text);
  }
  return text;
}

export type AttemptEnd = { executionId: string; placed: Placement };

export async function finishAttempts(sql: Sql, ends: AttemptEnd[]): Promise<void> {
  if (ends.length === 1) return finishAttempt(sql, ends[0].executionId, ends[0].placed);
  // Padded to 4, 8 or 16 ends with an id no execution has (its two updates find nothing): a text per batch size was
  // planned anew for each size on each connection (custom plans, 10-60 ms of PostgreSQL's CPU a batch for the first
  // runs of each), on the cores the next batch's claim and fills wait for
  const size = ends.length <= 4 ? 4 : ends.length <= 8 ? 8 : Math.max(16, ends.length);
  const padded = [...ends, ...Array.from({ length: size - ends.length }, () => NOTHING)];
  await sql.query(
    finishManySql(size),
    padded.flatMap(({ executionId, placed }) => placementParams(executionId, placed)),
  );
}

const NOTHING: AttemptEnd = {
  executionId: '00000000-0000-0000-0000-000000000000',
  placed: { qty: '0', broker: '', request: null, response: null },
};

// Claims given up before their attempts began (a batch cut short): free to be claimed again at once
export async function releaseClaims(sql: Sql, ids: string[]): Promise<void> {
  await sql.query(
    `update executions e set lease_until = null from unnest(?::uuid[]) as u(id) where e.id = u.id and e.status = 'PENDING'`,
    [ids],
  );
}

// Written before the order is sent when the plan changed the quantity: a fill can arrive (from the stream, a
// postback, another process) before placeOrder returns, and it is complete only against the planned quantity.
// Also written when placing failed, so a dead letter shows what was sent.
export async function recordRequest(
  sql: Sql,
  id: string,
  p: { qty: string; broker: string; request: unknown; plan?: unknown },
): Promise<void> {
  await sql.query(
    'update executions set qty = ?, broker = ?, broker_request = ?, plan = coalesce(?::jsonb, plan), updated_at = now() where id = ?',
    [p.qty, p.broker, JSON.stringify(p.request), p.plan === undefined ? null : JSON.stringify(p.plan), id],
  );
}

// A LIVE order's account, recorded before the order is first sent: retries, the poll and cancels go there
export async function recordAccount(sql: Sql, id: string, accountId: string): Promise<void> {
  await sql.query('update executions set broker_account_id = ? where id = ? and broker_account_id is null', [
    accountId,
    id,
  ]);
}

export type OpenOrderRef = {
  status: string;
  mode: string;
  broker: string;
  accountId: string | null;
  clientOrderId: string;
  strategyId: string;
  userId: string;
  // From the request recorded before the read-back starts: a native bracket's exit leg this execution books, or
  // the order went split into legs (it then has no order of its own id at the broker)
  bracketLeg: BracketLegRef | null;
  split: boolean;
};

// Where an execution's order is, for reading it back after placement
export async function orderRefOf(sql: Sql, id: string): Promise<OpenOrderRef | null> {
  const [r] = await sql.query<{
    status: string;
    mode: string;
    broker: string;
    broker_account_id: string | null;
    client_order_id: string;
    strategy_id: string;
    user_id: string;
    bracket_leg: BracketLegRef | null;
    split: boolean;
  }>(
    `select status, mode, broker, broker_account_id, client_order_id, strategy_id, user_id,
       broker_request->'bracketLeg' as bracket_leg, broker_request->'split' is not null as split
     from executions where id = ?`,
    [id],
  );
  return r
    ? {
        status: r.status,
        mode: r.mode,
        broker: r.broker,
        accountId: r.broker_account_id,
        clientOrderId: r.client_order_id,
        strategyId: r.strategy_id,
        userId: r.user_id,
        bracketLeg: r.bracket_leg?.brokerOrderId ? r.bracket_leg : null,
        split: r.split,
      }
    : null;
}
