import { ReportScope, scopeConditions } from './report-scope';

// Up to this many trips the equity curve has a point per trip; beyond, one per IST day
export const CURVE_POINTS_PER_TRIP_MAX = 1000;

const IST_DAY = 'rt.closed_day';

type Sql = { text: string; params: unknown[] };
type CurvePoint = { at: string; equity: string; drawdown: string };

export type SumsRow = {
  trades: number;
  wins: number;
  losses: number;
  net: string;
  gross: string;
  charges: string;
  won: string;
  lost: string;
  best: string | null;
  worst: string | null;
  win_rate: string | null;
  avg_pnl: string | null;
  avg_win: string | null;
  avg_loss: string | null;
  profit_factor: string | null;
  sharpe: string | null;
  daily: Array<{ date: string; pnl: string; trades: number }> | null;
  day_curve: CurvePoint[] | null;
  exposure: Array<{ symbol: string; trades: number; netPnl: string; turnover: string; maxQty: string }> | null;
};

export type WalkRow = {
  trades: number;
  max_drawdown: string;
  longest_losing_streak: number;
  equity: string;
  peak: string;
  losing_run: number;
  trip_curve: CurvePoint[] | null;
};

// Where a walk of the trips stands after some of them: the peak counts 0 (the drawdown is measured from the
// highest of 0 and every equity so far), `run` is the losing run still going at the end
export type WalkState = {
  trades: number;
  equity: string;
  peak: string;
  maxDrawdown: string;
  run: number;
  longest: number;
};
export const WALK_START: WalkState = { trades: 0, equity: '0', peak: '0', maxDrawdown: '0', run: 0, longest: 0 };

// The day and symbol groups of the trips closed before `before` (see prefixGroupsStatement), as JSON text: never
// parsed in Node, so money keeps every digit
export type PrefixGroups = { before: Date; days: string; symbols: string };

// A report is two statements over round_trips (closed trips, see round-trip-ledger.ts), one per figure family,
// which the service runs side by side on two connections. Money stays numeric and leaves as text.

// The sums: a grouped scan of the trips by IST day (the totals, the daily series over a calendar of trading days
// and its Sharpe ratio, and the per-day equity curve, whose drawdown is measured from the highest day-end equity
// so far, all come from those few groups) and one by symbol (the exposure). Each has few groups, so both hash
// (grouping by day and symbol at once made thousands of wide groups, which PostgreSQL sorted instead).
const DAY_GROUPS = `select ${IST_DAY} as day,
    count(*)::int as trades, (count(*) filter (where rt.net_pnl > 0))::int as wins, (count(*) filter (where rt.net_pnl < 0))::int as losses,
    sum(rt.net_pnl) as net, sum(rt.charges) as charges, coalesce(sum(rt.net_pnl) filter (where rt.net_pnl > 0), 0) as won,
    max(rt.net_pnl) as best, min(rt.net_pnl) as worst, max(rt.closed_at) as last_at`;
const SYMBOL_GROUPS =
  'select rt.symbol, count(*)::int as trades, sum(rt.net_pnl) as net, sum(rt.turnover) as turnover, max(rt.max_qty) as max_qty';

// The scope's trips, optionally only those closed before or from an instant (a report split at a cached prefix)
function tripsWhere(scope: ReportScope, split?: { before?: Date; from?: Date }): { where: string; params: unknown[] } {
  const { where, params } = scopeConditions(scope, 'rt', 'closed_at');
  if (split?.before) return { where: `${where} and rt.closed_at < ?`, params: [...params, split.before] };
  if (split?.from) return { where: `${where} and rt.closed_at >= ?`, params: [...params, split.from] };
  return { where, params };
}

// The day and symbol groups of the trips closed before `before` (a report's cached prefix, see report-prefix.ts)
export function prefixGroupsStatement(scope: ReportScope, before: Date): Sql {
  const { where, params } = tripsWhere(scope, { before });
  const text = `
with g as (${DAY_GROUPS} from round_trips rt where ${where} group by 1),
symbols as (${SYMBOL_GROUPS} from round_trips rt where ${where} group by 1)
select coalesce((select json_agg(g) from g), '[]')::text as days, coalesce((select json_agg(symbols) from symbols), '[]')::text as symbols`;
  return { text, params: [...params, ...params] };
}

// With a prefix, only the trips closed from prefix.before are read; the prefix's groups join them (every figure
// of a group is a sum, a max or a min, so groups of one day or symbol merge)
export function sumsStatement(scope: ReportScope, prefix?: PrefixGroups): Sql {
  const { where, params } = tripsWhere(scope, prefix ? { from: prefix.before } : undefined);
  const g = prefix
    ? `select day, sum(trades)::int as trades, sum(wins)::int as wins, sum(losses)::int as losses, sum(net) as net, sum(charges) as charges,
    sum(won) as won, max(best) as best, min(worst) as worst, max(last_at) as last_at
  from (${DAY_GROUPS} from round_trips rt where ${where} group by 1
    union all select * from jsonb_to_recordset(?::jsonb) as p(day date, trades int, wins int, losses int, net numeric, charges numeric,
      won numeric, best numeric, worst numeric, last_at timestamptz)) u
  group by day`
    : `${DAY_GROUPS} from round_trips rt where ${where} group by 1`;
  const symbols = prefix
    ? `select symbol, sum(trades)::int as trades, sum(net) as net, sum(turnover) as turnover, max(max_qty) as max_qty
  from (${SYMBOL_GROUPS} from round_trips rt where ${where} group by 1
    union all select * from jsonb_to_recordset(?::jsonb) as p(symbol text, trades int, net numeric, turnover numeric, max_qty numeric)) u
  group by symbol`
    : `${SYMBOL_GROUPS} from round_trips rt where ${where} group by 1`;
  const groupParams = (json: string) => (prefix ? [...params, json] : params);
  const text = `
with g as (
  ${g}
), symbols as (
  ${symbols}
), s as (
  select coalesce(sum(trades), 0)::int as trades, coalesce(sum(wins), 0)::int as wins, coalesce(sum(losses), 0)::int as losses,
    coalesce(sum(net), 0) as net, coalesce(sum(charges), 0) as charges, coalesce(sum(won), 0) as won,
    max(best) as best, min(worst) as worst, min(day) as first_day
  from g
), calendar as (
  select d::date as day from s, generate_series(coalesce(?::date, s.first_day), least(coalesce(?::date, ?::date), ?::date), interval '1 day') d
  where extract(isodow from d) < 6
), series as (
  select coalesce(c.day, g.day) as day, coalesce(g.net, 0) as pnl, coalesce(g.trades, 0) as trades
  from calendar c full join g on g.day = c.day
), day_ends as (
  select day, last_at, equity, greatest(max(equity) over (order by day), 0) - equity as drawdown
  from (select day, last_at, sum(net) over (order by day) as equity from g) e
)
select s.trades, s.wins, s.losses, s.net::text, (s.net + s.charges)::text as gross, s.charges::text, s.won::text, (s.net - s.won)::text as lost,
  case when s.best > 0 then s.best::text end as best, case when s.worst < 0 then s.worst::text end as worst,
  round(s.wins::numeric / nullif(s.trades, 0), 4)::text as win_rate,
  round(s.net / nullif(s.trades, 0), 2)::text as avg_pnl,
  round(s.won / nullif(s.wins, 0), 2)::text as avg_win,
  round((s.net - s.won) / nullif(s.losses, 0), 2)::text as avg_loss,
  case when s.wins > 0 then round(s.won / nullif(s.won - s.net, 0), 4)::text end as profit_factor,
  (select round(avg(pnl) / nullif(stddev_samp(pnl), 0) * sqrt(252::numeric), 4)::text from series) as sharpe,
  (select json_agg(json_build_object('date', day::text, 'pnl', pnl::text, 'trades', trades) order by day) from series) as daily,
  (select json_agg(json_build_object('at', last_at, 'equity', equity::text, 'drawdown', drawdown::text) order by day)
   from day_ends where s.trades > ${CURVE_POINTS_PER_TRIP_MAX}) as day_curve,
  (select json_agg(json_build_object('symbol', symbol, 'trades', trades, 'netPnl', net::text, 'turnover', turnover::text, 'maxQty', max_qty::text)
     order by turnover desc, symbol)
   from symbols) as exposure
from s`;
  // the trips' conditions (and the prefix's groups) appear twice (g, symbols), then the calendar's bounds
  return {
    text,
    params: [
      ...groupParams(prefix?.days ?? '[]'),
      ...groupParams(prefix?.symbols ?? '[]'),
      scope.from,
      scope.to,
      scope.today,
      scope.today,
    ],
  };
}

// The ordered family: one walk of the trips in closing order (equity, its drawdown from the running peak, the
// losing run), which the (…, closed_at, id) indexes give without a sort and, holding net_pnl and the filter
// columns, without reading the table. The per-trip curve is kept for small reports only. A walk can start where
// an earlier one ended (`seed`: a cached prefix's state) and ends with its own state (equity, peak, the losing run
// still going), so a prefix and the trips after it walk as one.
export function walkStatement(
  scope: ReportScope,
  split?: { before?: Date; from?: Date },
  seed: WalkState = WALK_START,
): Sql {
  const { where, params } = tripsWhere(scope, split);
  const text = `
with walk as (
  select rt.closed_at, rt.id, rt.net_pnl, row_number() over w as n, ?::numeric + sum(rt.net_pnl) over w as equity
  from round_trips rt where ${where}
  window w as (order by rt.closed_at, rt.id rows between unbounded preceding and current row)
), marks as (
  select closed_at, n, net_pnl, equity, greatest(max(equity) over w, ?::numeric) - equity as drawdown,
    n - coalesce(max(n) filter (where net_pnl >= 0) over w, -?::int) as losing_run
  from walk
  -- the same order as walk's, so its rows need no second sort
  window w as (order by closed_at, id rows between unbounded preceding and current row)
)
select ?::int + count(*)::int as trades, greatest(?::numeric, coalesce(max(drawdown), 0))::text as max_drawdown,
  greatest(?::int, coalesce(max(losing_run), 0))::int as longest_losing_streak,
  (?::numeric + coalesce(sum(net_pnl), 0))::text as equity, greatest(?::numeric, coalesce(max(equity), 0))::text as peak,
  (count(*) - coalesce(max(n) filter (where net_pnl >= 0), -?::int))::int as losing_run,
  json_agg(json_build_object('at', closed_at, 'equity', equity::text, 'drawdown', drawdown::text) order by n)
    filter (where n <= ${CURVE_POINTS_PER_TRIP_MAX}) as trip_curve
from marks`;
  return {
    text,
    params: [
      seed.equity,
      ...params,
      seed.peak,
      seed.run,
      seed.trades,
      seed.maxDrawdown,
      seed.longest,
      seed.equity,
      seed.peak,
      seed.run,
    ],
  };
}
