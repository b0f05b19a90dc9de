import { ReportScope, scopeConditions } from './report-scope';

// Above this many trips the equity curve has one point per IST day instead of one per trip
export const CURVE_POINTS_PER_TRIP_MAX = 1000;

const IST_DAY = `(rt.closed_at at time zone 'Asia/Kolkata')::date`;

export type ReportRow = {
  trades: number; wins: number; losses: number;
  net: string; gross: string; charges: string; won: string; lost: string; best: string | null; worst: string | null;
  win_rate: string | null; avg_pnl: string | null; avg_win: string | null; avg_loss: string | null; profit_factor: string | null;
  max_drawdown: string; longest_losing_streak: number; sharpe: string | null;
  daily: Array<{ date: string; pnl: string; trades: number }> | null;
  curve: Array<{ at: string; equity: string; drawdown: string }> | null;
  exposure: Array<{ symbol: string; trades: number; netPnl: string; turnover: string; maxQty: string }> | null;
};

// The whole report in one statement over round_trips (closed trips, see round-trip-ledger.ts), one pass per
// figure family: the per-day and per-symbol sums in one grouped scan (the totals are the sum of the days); the
// ordered family (equity, drawdown, losing streak, the curve) in one walk of the trips in closing order, which an
// index on (…, closed_at, id) gives without a sort; the daily series and its Sharpe from the per-day sums and a
// calendar of trading days. Money stays numeric and leaves as text.
export function reportStatement(scope: ReportScope): { text: string; params: unknown[] } {
  const { where, params } = scopeConditions(scope, 'rt', 'closed_at');
  const text = `
with g as (
  select ${IST_DAY} as day, rt.symbol, grouping(rt.symbol) = 1 as by_day,
    count(*)::int as trades, (count(*) filter (where rt.net_pnl > 0))::int as wins, (count(*) filter (where rt.net_pnl < 0))::int as losses,
    sum(rt.net_pnl) as net, sum(rt.gross_pnl) as gross, sum(rt.charges) as charges,
    coalesce(sum(rt.net_pnl) filter (where rt.net_pnl > 0), 0) as won, coalesce(sum(rt.net_pnl) filter (where rt.net_pnl < 0), 0) as lost,
    max(rt.net_pnl) filter (where rt.net_pnl > 0) as best, min(rt.net_pnl) filter (where rt.net_pnl < 0) as worst, sum(rt.turnover) as turnover, max(rt.max_qty) as max_qty
  from round_trips rt where ${where}
  group by grouping sets ((${IST_DAY}), (rt.symbol))
), s as (
  select coalesce(sum(trades), 0)::int as trades, coalesce(sum(wins), 0)::int as wins, coalesce(sum(losses), 0)::int as losses,
    coalesce(sum(net), 0) as net, coalesce(sum(gross), 0) as gross, coalesce(sum(charges), 0) as charges,
    coalesce(sum(won), 0) as won, coalesce(sum(lost), 0) as lost, max(best) as best, min(worst) as worst, min(day) as first_day
  from g where by_day
), walk as (
  select rt.closed_at, rt.id, rt.net_pnl, ${IST_DAY} as day, row_number() over w as n, sum(rt.net_pnl) over w as equity
  from round_trips rt where ${where}
  window w as (order by rt.closed_at, rt.id rows between unbounded preceding and current row)
), marks as (
  select closed_at, n, equity, greatest(max(equity) over w, 0) - equity as drawdown,
    n - coalesce(max(n) filter (where net_pnl >= 0) over w, 0) as losing_run,
    lead(day) over w is distinct from day as day_end
  from walk
  -- the same order as walk's, so its rows need no second sort
  window w as (order by closed_at, id rows between unbounded preceding and current row)
), o as (
  select coalesce(max(drawdown), 0) as max_drawdown, coalesce(max(losing_run), 0)::int as longest_losing_streak,
    json_agg(json_build_object('at', closed_at, 'equity', equity::text, 'drawdown', drawdown::text) order by n)
      filter (where day_end or (select trades from s) <= ${CURVE_POINTS_PER_TRIP_MAX}) as curve
  from marks
), calendar as (
  select d::date as day from s, generate_series(coalesce(?::date, s.first_day), least(coalesce(?::date, ?::date), ?::date), interval '1 day') d
  where extract(isodow from d) < 6
), series as (
  select coalesce(c.day, g.day) as day, coalesce(g.net, 0) as pnl, coalesce(g.trades, 0) as trades
  from calendar c full join (select day, net, trades from g where by_day) g on g.day = c.day
)
select s.trades, s.wins, s.losses, s.net::text, s.gross::text, s.charges::text, s.won::text, s.lost::text, s.best::text, s.worst::text,
  round(s.wins::numeric / nullif(s.trades, 0), 4)::text as win_rate,
  round(s.net / nullif(s.trades, 0), 2)::text as avg_pnl,
  round(s.won / nullif(s.wins, 0), 2)::text as avg_win,
  round(s.lost / nullif(s.losses, 0), 2)::text as avg_loss,
  case when s.wins > 0 then round(s.won / nullif(-s.lost, 0), 4)::text end as profit_factor,
  o.max_drawdown::text, o.longest_losing_streak, o.curve,
  (select round(avg(pnl) / nullif(stddev_samp(pnl), 0) * sqrt(252::numeric), 4)::text from series) as sharpe,
  (select json_agg(json_build_object('date', day::text, 'pnl', pnl::text, 'trades', trades) order by day) from series) as daily,
  (select json_agg(json_build_object('symbol', symbol, 'trades', trades, 'netPnl', net::text, 'turnover', turnover::text, 'maxQty', max_qty::text)
     order by turnover desc, symbol) from g where not by_day) as exposure
from s, o`;
  return { text, params: [...params, ...params, scope.from, scope.to, scope.today, scope.today] };
}
