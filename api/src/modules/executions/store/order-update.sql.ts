// The statements of the order-update path (see order-updates.service.ts). Each is one round trip.
import type { OpenTrip } from '../../positions/round-trip-ledger';

// A fill of the locked execution `e`, stored once per (execution, trade id); parameters: fillColumns()
const INSERT_FILL_FROM_E = `insert into fills (id, created_at, updated_at, execution_id, trade_id, qty, price, total_charges, charge_breakdown, filled_at, raw)
  select gen_random_uuid(), now(), now(), e.id, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb from e
  on conflict (execution_id, trade_id) do nothing
  returning id`;

// The round trip a fill closed (round-trip-ledger.ts), as a JSON array of zero or one record; `e` names the
// execution's strategy, user, symbol and mode. Written in the fill's own statement, so a trip exists exactly when
// its closing fill does (and only once: the fill is stored once, and a trip is unique per closing fill).
const ROUND_TRIP_COLUMNS = `(id, created_at, updated_at, position_id, strategy_id, user_id, symbol, mode, side, qty, entry_price, exit_price,
    max_qty, turnover, gross_pnl, charges, net_pnl, opened_at, closed_at, fills, closing_fill_id)`;
const ROUND_TRIP_VALUES = `gen_random_uuid(), now(), now(), %POSITION%, e.strategy_id, e.user_id, e.symbol, e.mode, t.side, t.qty, t.entry_price,
    t.exit_price, t.max_qty, t.turnover, t.gross_pnl, t.charges, t.net_pnl, t.opened_at, t.closed_at, t.fills, %FILL%`;
const ROUND_TRIP_RECORD = `jsonb_to_recordset(?::jsonb) as t(side text, qty numeric, entry_price numeric, exit_price numeric, max_qty numeric,
    turnover numeric, gross_pnl numeric, charges numeric, net_pnl numeric, opened_at timestamptz, closed_at timestamptz, fills int)`;
const roundTripValues = (position: string, fill: string) =>
  ROUND_TRIP_VALUES.replace('%POSITION%', position).replace('%FILL%', fill);

// Moves an execution to a status reported by the broker, if the status machine allows it (the caller passes the
// statuses it may move from), fills in the broker's order id and first response, and records the event; all in
// one statement under the row lock taken by `cur`.
export const APPLY_ORDER_SQL = `
with cur as (
  select id, status as old_status from executions where client_order_id = ? for update
), moved as (
  update executions e set
    status = case when cur.old_status = any(?::text[]) then ? else e.status end,
    broker_order_id = coalesce(e.broker_order_id, ?),
    algo_id = coalesce(e.algo_id, ?),
    broker_response = coalesce(e.broker_response, ?::jsonb),
    reject_reason = case when cur.old_status = any(?::text[]) and ? then coalesce(e.reject_reason, 'broker_rejected') else e.reject_reason end,
    last_error = case when cur.old_status = any(?::text[]) and ? and e.reject_reason is null then ? else e.last_error end,
    updated_at = now()
  from cur where e.id = cur.id
  returning e.id, e.status, e.alert_id, e.strategy_id, e.user_id, e.correlation_id, e.broker_order_id, e.algo_id, cur.old_status
), ev as (
  insert into execution_events (id, created_at, updated_at, execution_id, alert_id, strategy_id, type, at, correlation_id, payload)
  select gen_random_uuid(), now(), now(), m.id, m.alert_id, m.strategy_id, ?, clock_timestamp(), m.correlation_id, ?::jsonb
  from moved m where m.status <> m.old_status
  returning id, at
)
select m.id, m.status, m.alert_id, m.strategy_id, m.user_id, m.correlation_id, m.broker_order_id, m.algo_id,
       (select id from ev) as event_id, (select at from ev) as event_at
from moved m`;

export type AppliedOrderRow = {
  id: string;
  status: string;
  alert_id: string;
  strategy_id: string;
  user_id: string;
  correlation_id: string;
  broker_order_id: string | null;
  algo_id: string | null;
  event_id: string | null;
  event_at: Date | null;
};

// First statement of a fill's transaction: locks the execution, stores the fill once per (execution, trade id),
// and, only when the fill is new, locks (creating if needed) the strategy's position row. An upsert that
// updates nothing still takes the row lock, so concurrent fills of one position apply one after another.
export const LOCK_FILL_SQL = `
with e as (
  select id, status, strategy_id, user_id, alert_id, correlation_id, symbol, mode, qty, filled_qty, avg_fill_price, charges, pnl, broker_order_id
  from executions where client_order_id = ? for update
), f as (
  ${INSERT_FILL_FROM_E}
), p as (
  insert into positions (id, created_at, updated_at, strategy_id, symbol, mode, qty, avg_price, realized_pnl, unrealized_pnl, charges)
  select gen_random_uuid(), now(), now(), e.strategy_id, e.symbol, e.mode, 0, 0, 0, 0, 0 from e where exists (select 1 from f)
  on conflict (strategy_id, symbol, mode) do update set updated_at = positions.updated_at
  returning id, qty, avg_price, realized_pnl, charges, revision, open_trip
)
select e.*, (select id from f) as fill_id, p.id as position_id, p.qty as position_qty, p.avg_price as position_avg_price,
       p.realized_pnl as position_realized_pnl, p.charges as position_charges, p.revision as position_revision, p.open_trip as position_open_trip,
       s.max_daily_loss, s.enabled as strategy_enabled
from e join strategies s on s.id = e.strategy_id left join p on true`;

export type LockedFillRow = {
  id: string;
  status: string;
  strategy_id: string;
  user_id: string;
  alert_id: string;
  correlation_id: string;
  symbol: string;
  mode: string;
  qty: string;
  filled_qty: string;
  avg_fill_price: string | null;
  charges: string;
  pnl: string | null;
  broker_order_id: string | null;
  fill_id: string | null;
  position_id: string | null;
  position_qty: string | null;
  position_avg_price: string | null;
  position_realized_pnl: string | null;
  position_charges: string | null;
  position_revision: number | null;
  position_open_trip: OpenTrip | null;
  max_daily_loss: string | null;
  strategy_enabled: boolean;
};

// Second statement: the position, the round trip it closed, the execution and the events of the fill, written together.
export const APPLY_FILL_SQL = `
with pu as (
  update positions set qty = ?, avg_price = ?, realized_pnl = ?, charges = ?, last_price = ?, unrealized_pnl = ?, open_trip = ?::jsonb,
    revision = revision + 1, updated_at = now() where id = ?
  returning id, revision
), rt as (
  insert into round_trips ${ROUND_TRIP_COLUMNS}
  select ${roundTripValues('pu.id', '?::uuid')}
  from pu cross join (select strategy_id, user_id, symbol, mode from executions where id = ?) e cross join ${ROUND_TRIP_RECORD}
  on conflict (closing_fill_id) do nothing
), eu as (
  update executions set qty = ?, status = ?, filled_qty = ?, avg_fill_price = ?, charges = ?, pnl = ?, broker_order_id = coalesce(broker_order_id, ?),
    updated_at = now() where id = ?
), ev as (
  insert into execution_events (id, created_at, updated_at, execution_id, alert_id, strategy_id, type, at, correlation_id, payload)
  select x.id, now(), now(), ?, ?, ?, x.type, clock_timestamp() + x.ord * interval '1 microsecond', ?, x.payload
  from jsonb_to_recordset(?::jsonb) as x(id uuid, ord int, type text, payload jsonb)
  returning id, type, at, payload
)
select (select revision from pu) as revision,
       (select coalesce(json_agg(json_build_object('id', id, 'type', type, 'at', at, 'payload', payload) order by at), '[]') from ev) as events`;

export type WrittenEvent = { id: string; type: string; at: string; payload: Record<string, unknown> };

// A fill in ONE statement, when this process knows the position as it is (same revision): the position row is
// locked and re-checked first, so if another writer got there in between nothing at all is written and the
// caller takes the two-statement path. Execution totals are accumulated in SQL; the ledger values (average
// cost, realized P&L) come from position-ledger.ts applied to the known position.
export const FAST_FILL_SQL = `
with pos as (
  select id from positions where id = ? and revision = ? for update
), e as (
  select id, status, strategy_id, user_id, alert_id, correlation_id, broker_order_id, symbol, mode from executions
  where client_order_id = ? and exists (select 1 from pos) for update
), f as (
  ${INSERT_FILL_FROM_E}
), pu as (
  update positions set qty = ?, avg_price = ?, realized_pnl = ?, charges = charges + ?, last_price = ?, unrealized_pnl = ?, open_trip = ?::jsonb,
    revision = revision + 1, updated_at = now()
  where id = (select id from pos) and exists (select 1 from f)
  returning id, revision, charges
), rt as (
  insert into round_trips ${ROUND_TRIP_COLUMNS}
  select ${roundTripValues('pu.id', '(select id from f)')}
  from pu cross join e cross join ${ROUND_TRIP_RECORD}
  on conflict (closing_fill_id) do nothing
), eu as (
  update executions x set
    filled_qty = x.filled_qty + ?::numeric,
    avg_fill_price = round((coalesce(x.avg_fill_price, 0) * x.filled_qty + ?::numeric * ?::numeric) / (x.filled_qty + ?::numeric), 4),
    charges = x.charges + ?::numeric, pnl = coalesce(x.pnl, 0) + ?::numeric, qty = coalesce(?::numeric, x.qty),
    status = case when x.filled_qty + ?::numeric >= coalesce(?::numeric, x.qty) then 'FILLED' else 'PARTIALLY_FILLED' end,
    broker_order_id = coalesce(x.broker_order_id, ?), updated_at = now()
  from e where x.id = e.id and exists (select 1 from f)
  returning x.status, x.filled_qty
), ev as (
  insert into execution_events (id, created_at, updated_at, execution_id, alert_id, strategy_id, type, at, correlation_id, payload)
  select gen_random_uuid(), now(), now(), e.id, e.alert_id, e.strategy_id, t.type, clock_timestamp() + t.ord * interval '1 microsecond', e.correlation_id,
    case when t.type = 'ORDER_FILLED'
      then ?::jsonb || jsonb_build_object('filledQty', trim_scale(eu.filled_qty)::text, 'complete', eu.status = 'FILLED')
      else jsonb_build_object('brokerOrderId', coalesce(e.broker_order_id, ?)) end
  from e cross join eu cross join (values (0, 'ORDER_PLACED'), (1, 'ORDER_FILLED')) as t(ord, type)
  where t.type = 'ORDER_FILLED' or e.status = 'PENDING'
  returning id, type, at, payload
)
select e.id, e.strategy_id, e.user_id, e.alert_id, e.correlation_id, (select id from f) as fill_id,
       (select revision from pu) as revision, (select charges from pu) as position_charges, (select status from eu) as status,
       (select coalesce(json_agg(json_build_object('id', id, 'type', type, 'at', at, 'payload', payload) order by at), '[]') from ev) as events,
       s.max_daily_loss, s.enabled as strategy_enabled
from e join strategies s on s.id = e.strategy_id`;

export type FastFillRow = {
  id: string;
  strategy_id: string;
  user_id: string;
  alert_id: string;
  correlation_id: string;
  fill_id: string | null;
  revision: number | null;
  position_charges: string | null;
  status: string | null;
  events: WrittenEvent[];
  max_daily_loss: string | null;
  strategy_enabled: boolean;
};

// The fills of several orders of one position placed together (a simulated venue's batch, placeOrders), in ONE
// statement, while the position is the one this process last wrote (same revision): for each order, what
// FAST_FILL_SQL writes for one (its fill, the round trip it closed, its execution's totals and status, ORDER_PLACED
// and ORDER_FILLED); the position is written once, where the last fill leaves it. The orders come as one JSON array
// (`x`, see FillManyRecord), so the text is the same for any batch size (a text per size was planned anew on each
// connection, 40-70 ms for 15 orders); each execution is found by its clientOrderId (a lateral lookup: `= any` of
// the ids planned a scan of executions on empty tables), then updated by id. `x`'s range condition (always true)
// tells the planner the array is small (it assumes 100 rows for a recordset, and joined 100 executions by a scan).
// Only when every execution is found and has no fill yet (`g`) is anything written: else nothing, and the caller
// records the fills one at a time (that path tells a repeated delivery from a new fill). Events are stamped in the
// orders' sequence, and so are the fills (created_at: one statement's now() would tie them). Parameters: position
// id and revision, the orders, then the position after the last fill.
export const FILL_MANY_SQL = `
with pos as (
  select id from positions where id = ? and revision = ? for update
), x as (
  select * from jsonb_to_recordset(?::jsonb) as x(ord int, client_order_id text, trade_id text, qty numeric, price numeric,
    total_charges numeric, charge_breakdown jsonb, filled_at timestamptz, raw jsonb, charges numeric, realized_delta numeric,
    planned_qty numeric, broker_order_id text, payload jsonb, closed_trips jsonb)
  where x.ord >= 0 and x.ord < 1000
), t0 as (
  select clock_timestamp() as at
), e as (
  select y.* from x cross join lateral (
    select id, status, strategy_id, user_id, alert_id, correlation_id, broker_order_id, symbol, mode, client_order_id from executions
    where client_order_id = x.client_order_id and filled_qty = 0 limit 1 for update) y
  where exists (select 1 from pos)
), g as (
  select (select count(*) from e) = (select count(*) from x) as ok
), f as (
  insert into fills (id, created_at, updated_at, execution_id, trade_id, qty, price, total_charges, charge_breakdown, filled_at, raw)
  select gen_random_uuid(), s.at, s.at, e.id, x.trade_id, x.qty, x.price, x.total_charges, x.charge_breakdown, x.filled_at, x.raw
  from e join x on x.client_order_id = e.client_order_id
    cross join lateral (select (select at from t0) + x.ord * interval '1 microsecond' as at) s
  where (select ok from g)
  returning id, execution_id
), rt as (
  insert into round_trips ${ROUND_TRIP_COLUMNS}
  select ${roundTripValues('(select id from pos)', 'f.id')}
  from f join e on e.id = f.execution_id join x on x.client_order_id = e.client_order_id
    cross join lateral ${ROUND_TRIP_RECORD.replace('?::jsonb', 'x.closed_trips')}
  on conflict (closing_fill_id) do nothing
), eu as (
  update executions u set
    filled_qty = u.filled_qty + x.qty,
    avg_fill_price = round((coalesce(u.avg_fill_price, 0) * u.filled_qty + x.price * x.qty) / (u.filled_qty + x.qty), 4),
    charges = u.charges + x.charges, pnl = coalesce(u.pnl, 0) + x.realized_delta, qty = coalesce(x.planned_qty, u.qty),
    status = case when u.filled_qty + x.qty >= coalesce(x.planned_qty, u.qty) then 'FILLED' else 'PARTIALLY_FILLED' end,
    broker_order_id = coalesce(u.broker_order_id, x.broker_order_id), updated_at = now()
  from e join x on x.client_order_id = e.client_order_id where u.id = e.id and (select ok from g)
  returning u.id, u.status, u.filled_qty
), ev as (
  insert into execution_events (id, created_at, updated_at, execution_id, alert_id, strategy_id, type, at, correlation_id, payload)
  select gen_random_uuid(), now(), now(), e.id, e.alert_id, e.strategy_id, t.type,
    (select at from t0) + (2 * x.ord + t.ord) * interval '1 microsecond', e.correlation_id,
    case when t.type = 'ORDER_FILLED'
      then x.payload || jsonb_build_object('filledQty', trim_scale(eu.filled_qty)::text, 'complete', eu.status = 'FILLED')
      else jsonb_build_object('brokerOrderId', coalesce(e.broker_order_id, x.broker_order_id)) end
  from e join x on x.client_order_id = e.client_order_id join eu on eu.id = e.id
    cross join (values (0, 'ORDER_PLACED'), (1, 'ORDER_FILLED')) as t(ord, type)
  where t.type = 'ORDER_FILLED' or e.status = 'PENDING'
  returning id, execution_id, type, at, payload
), pu as (
  update positions set qty = ?, avg_price = ?, realized_pnl = ?, charges = charges + ?, last_price = ?, unrealized_pnl = ?, open_trip = ?::jsonb,
    revision = revision + 1, updated_at = now()
  where id = (select id from pos) and (select ok from g)
  returning id, revision, charges
)
select x.ord, e.id, e.strategy_id, e.user_id, e.alert_id, e.correlation_id, f.id as fill_id,
       (select revision from pu) as revision, (select charges from pu) as position_charges, eu.status,
       (select coalesce(json_agg(json_build_object('id', ev.id, 'type', ev.type, 'at', ev.at, 'payload', ev.payload) order by ev.at), '[]')
        from ev where ev.execution_id = e.id) as events,
       s.max_daily_loss, s.enabled as strategy_enabled
from e join x on x.client_order_id = e.client_order_id left join f on f.execution_id = e.id left join eu on eu.id = e.id
  cross join lateral (select max_daily_loss, enabled from strategies where id = e.strategy_id limit 1) s
order by x.ord`;

// One order of FILL_MANY_SQL's array: its fill (as fillColumns), what it does to its execution, its ORDER_FILLED
// payload (less filledQty and complete) and the round trip it closed (zero or one)
export type FillManyRecord = {
  ord: number;
  client_order_id: string;
  trade_id: string;
  qty: string;
  price: string;
  total_charges: string;
  charge_breakdown: unknown;
  filled_at: Date;
  raw: unknown;
  charges: string;
  realized_delta: string;
  planned_qty: string | null;
  broker_order_id: string | null;
  payload: Record<string, unknown>;
  closed_trips: unknown[];
};

export type FillManyRow = FastFillRow & { ord: number };
