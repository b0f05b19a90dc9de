// Bulk data for the report bench: EXECUTIONS executions (one fill each) over STRATEGIES strategies, written with
// SQL straight into the tables (the fill path would take hours for a million). Every strategy trades one symbol in
// cycles of four fills that the fill path would turn into two round trips:
//   BUY 2 (opens long), SELL 1 (partial close), SELL 3 (closes the long, opens short 2), BUY 2 (closes the short)
// with the executions' pnl and the round trips' figures computed as the ledgers would (average cost, the
// reversal's charges split by quantity). Strategy 1 (the busiest, BUSIEST_SHARE of the rows) and the next nine
// belong to `traderId`; the other forty to four more users. Times spread over a year.
'use strict';

const CYCLE_SQL = `
create temp table bench_cycles as
with s as (
  select st.id as strategy_id, st.user_id, st.symbol, st.mode, p.id as position_id, b.n
  from bench_strategies b join strategies st on st.id = b.id join positions p on p.strategy_id = st.id
)
select s.*, j,
  timestamptz '2025-12-01 03:45:00+00' + ((4 * j + o)::float8 / (s.n)) * interval '365 days' as t1,
  timestamptz '2025-12-01 03:45:00+00' + ((4 * j + o + 1)::float8 / (s.n)) * interval '365 days' as t2,
  timestamptz '2025-12-01 03:45:00+00' + ((4 * j + o + 2)::float8 / (s.n)) * interval '365 days' as t3,
  timestamptz '2025-12-01 03:45:00+00' + ((4 * j + o + 3)::float8 / (s.n)) * interval '365 days' as t4,
  1000 + (((4 * j + 1) * 7919) % 2001 - 1000) / 100.0 as p1, 1000 + (((4 * j + 2) * 7919) % 2001 - 1000) / 100.0 as p2,
  1000 + (((4 * j + 3) * 7919) % 2001 - 1000) / 100.0 as p3, 1000 + (((4 * j + 4) * 7919) % 2001 - 1000) / 100.0 as p4,
  5.25 + (j % 7) as c1, 5.25 + ((j + 1) % 7) as c2, 5.25 + ((j + 2) % 7) as c3, 5.25 + ((j + 3) % 7) as c4
from s cross join lateral generate_series(0, s.n / 4 - 1) j cross join (values (0)) v(o)`;

// One execution per (cycle, leg): side, qty, price, charges, pnl, fill time. Ids ascend, so the unique indexes
// take them at their right edge instead of at random pages (a third of the load time with random uuids).
const LEGS_SQL = `
create temp table bench_legs as
select x.*, ('00000000-0000-4000-8000-' || lpad(to_hex(x.seq), 12, '0'))::uuid as execution_id,
  ('00000000-0000-4000-9000-' || lpad(to_hex(x.seq), 12, '0'))::uuid as alert_id, ('00000000-0000-4000-a000-' || lpad(to_hex(x.seq), 12, '0'))::uuid as fill_id
from (
select row_number() over () as seq, c.strategy_id, c.user_id, c.symbol, c.mode, c.position_id, c.j, l.leg, l.side, l.qty, l.price, l.charges, l.pnl, l.at
from bench_cycles c cross join lateral (values
  (1, 'BUY', 2, c.p1, c.c1, -c.c1, c.t1),
  (2, 'SELL', 1, c.p2, c.c2, (c.p2 - c.p1) - c.c2, c.t2),
  (3, 'SELL', 3, c.p3, c.c3, (c.p3 - c.p1) - c.c3, c.t3),
  (4, 'BUY', 2, c.p4, c.c4, 2 * (c.p3 - c.p4) - c.c4, c.t4)
) as l(leg, side, qty, price, charges, pnl, at)
) x`;

const INSERTS = [
  [
    'alerts',
    `insert into alerts (id, created_at, updated_at, strategy_id, idempotency_key, raw_body, received_at, processed_at, status, correlation_id)
   select alert_id, at, at, strategy_id, 'bench-' || execution_id, '{}', at, at, 'PROCESSED', gen_random_uuid() from bench_legs`,
  ],
  [
    'executions',
    `insert into executions (id, created_at, updated_at, strategy_id, user_id, alert_id, correlation_id, client_order_id, symbol, exchange_segment,
     side, product_type, qty, price, mode, broker, status, broker_order_id, filled_qty, avg_fill_price, charges, pnl, attempts)
   select execution_id, at, at, strategy_id, user_id, alert_id, gen_random_uuid(), 'ad' || replace(execution_id::text, '-', ''), symbol, 'NSE_EQ',
     side, 'INTRADAY', qty, price, mode, 'paper', 'FILLED', 'PAPER-' || j || '-' || leg, qty, price, charges, pnl, 1 from bench_legs`,
  ],
  [
    'fills',
    `insert into fills (id, created_at, updated_at, execution_id, trade_id, qty, price, total_charges, charge_breakdown, filled_at)
   select fill_id, at, at, execution_id, 'T' || j || '-' || leg, qty, price, charges, '{}'::jsonb, at from bench_legs`,
  ],
  // The long trip closes on leg 3 (the reversal keeps 2/3 of its charges for the short), the short on leg 4
  [
    'round trips',
    `insert into round_trips (id, created_at, updated_at, position_id, strategy_id, user_id, symbol, mode, side, qty, entry_price, exit_price, max_qty,
     turnover, gross_pnl, charges, net_pnl, opened_at, closed_at, fills, closing_fill_id)
   select ('00000000-0000-4000-b000-' || lpad(to_hex(l.seq), 12, '0'))::uuid, c.t3, c.t3, c.position_id, c.strategy_id, c.user_id, c.symbol, c.mode, 'LONG', 2, c.p1, round((c.p2 + c.p3) / 2, 4), 2,
     2 * c.p1 + c.p2 + c.p3, (c.p2 - c.p1) + (c.p3 - c.p1), c.c1 + c.c2 + c.c3 - round(c.c3 * 2 / 3, 4),
     (c.p2 - c.p1) + (c.p3 - c.p1) - (c.c1 + c.c2 + c.c3 - round(c.c3 * 2 / 3, 4)), c.t1, c.t3, 3, l.fill_id
   from bench_cycles c join bench_legs l on l.strategy_id = c.strategy_id and l.j = c.j and l.leg = 3
   union all
   select ('00000000-0000-4000-b000-' || lpad(to_hex(l.seq), 12, '0'))::uuid, c.t4, c.t4, c.position_id, c.strategy_id, c.user_id, c.symbol, c.mode, 'SHORT', 2, c.p3, c.p4, 2,
     2 * c.p3 + 2 * c.p4, 2 * (c.p3 - c.p4), round(c.c3 * 2 / 3, 4) + c.c4, 2 * (c.p3 - c.p4) - round(c.c3 * 2 / 3, 4) - c.c4, c.t3, c.t4, 2, l.fill_id
   from bench_cycles c join bench_legs l on l.strategy_id = c.strategy_id and l.j = c.j and l.leg = 4`,
  ],
];

async function generate(client, { traderId, executions, strategies, busiestShare, log }) {
  const busiest = Math.round((executions * busiestShare) / 4) * 4;
  const rest = executions - busiest;
  const t0 = Date.now();
  // Bulk load: no foreign-key triggers (every referenced row is written here too)
  await client.query('set session_replication_role = replica');
  await client.query(`insert into users (id, email, password_hash, role)
    select gen_random_uuid(), 'bench-' || u || '@bench.local', 'not-a-hash', 'USER' from generate_series(1, 4) u`);
  await client.query(
    `create temp table bench_strategies as
    select gen_random_uuid() as id, s,
      case when s <= 10 then $1::uuid else (select id from users where email = 'bench-' || (1 + (s - 11) % 4) || '@bench.local') end as user_id,
      case when s = 1 then $2::int else (($3::int / ($4::int - 1)) / 4 * 4) end as n
    from generate_series(1, $4::int) s`,
    [traderId, busiest, rest, strategies],
  );
  await client.query(`insert into strategies (id, user_id, name, symbol, timeframe, qty, mode, broker, created_at, updated_at)
    select id, user_id, 'Bench ' || s, 'SYM' || s, '5', 1, case when s % 10 = 0 then 'LIVE' else 'PAPER' end, 'paper', now(), now() from bench_strategies`);
  await client.query(`insert into positions (id, strategy_id, symbol, mode, qty, avg_price, realized_pnl, revision)
    select gen_random_uuid(), st.id, st.symbol, st.mode, 0, 0, 0, b.n from bench_strategies b join strategies st on st.id = b.id`);
  // Secondary indexes are built once after the load (a sort) instead of row by row; constraints stay
  const indexes = (
    await client.query(`select indexname, indexdef from pg_indexes i
    where tablename in ('alerts', 'executions', 'fills', 'round_trips')
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`)
  ).rows;
  const steps = [];
  const step = async (name, sql) => {
    const s0 = Date.now();
    await client.query(sql);
    steps.push(`${name} ${((Date.now() - s0) / 1000).toFixed(1)} s`);
  };
  for (const { indexname } of indexes) await client.query(`drop index "${indexname}"`);
  for (const [name, sql] of [['cycles', CYCLE_SQL], ['legs', LEGS_SQL], ...INSERTS]) await step(name, sql);
  await step('indexes', indexes.map((i) => i.indexdef).join(';\n'));
  await client.query('set session_replication_role = origin');
  const counts = (
    await client.query(`select (select count(*) from executions)::int as executions, (select count(*) from round_trips)::int as trips,
    (select count(*) from executions e join strategies s on s.id = e.strategy_id where s.name = 'Bench 1')::int as busiest`)
  ).rows[0];
  await client.query('analyze');
  await client.query('checkpoint');
  log(
    `generated ${counts.executions} executions (${counts.busiest} on the busiest strategy) and ${counts.trips} round trips in ${((Date.now() - t0) / 1000).toFixed(1)} s (${steps.join(', ')})`,
  );
  return (await client.query(`select id from strategies where name = 'Bench 1'`)).rows[0].id;
}

module.exports = { generate };
