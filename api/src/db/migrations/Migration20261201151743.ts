import { Migration } from '@mikro-orm/migrations';

// Round trips of the fills stored before trips were kept: each position's fills are replayed in time order
// through the same average-cost ledger and round-trip rules as the fill path (position-ledger.ts,
// round-trip-ledger.ts); closed trips become round_trips rows, an open one the position's open_trip. An EXIT
// execution's fills go against the position. Exported for the test that checks the replay against the fill path.
export const BACKFILL_ROUND_TRIPS = `
do $$
declare
  p record; f record;
  q numeric; avg numeric; s numeric; after numeric; closing numeric; opening numeric; delta numeric; och numeric;
  t_side text; t_open timestamptz; t_eq numeric; t_ev numeric; t_xq numeric; t_xv numeric; t_max numeric; t_ch numeric; t_pnl numeric; t_fills int;
begin
  for p in
    select pos.id, pos.strategy_id, pos.symbol, pos.mode, st.user_id from positions pos join strategies st on st.id = pos.strategy_id
    where not exists (select 1 from round_trips rt where rt.position_id = pos.id)
  loop
    q := 0; avg := 0; t_side := null;
    for f in
      select fl.id, fl.qty, fl.price, fl.total_charges as ch, fl.filled_at, e.side from fills fl join executions e on e.id = fl.execution_id
      where e.strategy_id = p.strategy_id and e.symbol = p.symbol and e.mode = p.mode order by fl.filled_at, fl.created_at, fl.id
    loop
      s := case f.side when 'BUY' then f.qty when 'SELL' then -f.qty else -sign(q) * f.qty end;
      continue when s = 0;
      after := q + s;
      if q = 0 or sign(q) = sign(s) then
        avg := round((abs(q) * avg + abs(s) * f.price) / abs(after), 4);
        if t_side is null then
          t_side := case when s > 0 then 'LONG' else 'SHORT' end; t_open := f.filled_at;
          t_eq := 0; t_ev := 0; t_xq := 0; t_xv := 0; t_max := 0; t_ch := 0; t_pnl := 0; t_fills := 0;
        end if;
        t_eq := t_eq + abs(s); t_ev := round(t_ev + abs(s) * f.price, 4); t_max := greatest(t_max, abs(after));
        t_ch := t_ch + f.ch; t_pnl := t_pnl - f.ch; t_fills := t_fills + 1;
      else
        closing := least(abs(s), abs(q)); opening := abs(s) - closing;
        delta := round(case when q > 0 then (f.price - avg) * closing else (avg - f.price) * closing end - f.ch, 4);
        och := round(f.ch * opening / abs(s), 4);
        t_xq := t_xq + closing; t_xv := round(t_xv + closing * f.price, 4);
        t_ch := t_ch + f.ch - och; t_pnl := t_pnl + delta + och; t_fills := t_fills + 1;
        if after = 0 or sign(after) <> sign(q) then
          insert into round_trips (id, created_at, updated_at, position_id, strategy_id, user_id, symbol, mode, side, qty, entry_price, exit_price,
            max_qty, turnover, gross_pnl, charges, net_pnl, opened_at, closed_at, fills, closing_fill_id)
          values (gen_random_uuid(), now(), now(), p.id, p.strategy_id, p.user_id, p.symbol, p.mode, t_side, t_eq, round(t_ev / t_eq, 4),
            round(t_xv / t_xq, 4), t_max, t_ev + t_xv, t_pnl + t_ch, t_ch, t_pnl, t_open, f.filled_at, t_fills, f.id);
          t_side := null;
          if opening > 0 then
            t_side := case when after > 0 then 'LONG' else 'SHORT' end; t_open := f.filled_at;
            t_eq := opening; t_ev := round(opening * f.price, 4); t_xq := 0; t_xv := 0; t_max := opening; t_ch := och; t_pnl := -och; t_fills := 1;
          end if;
        end if;
        if after = 0 then avg := 0; elsif opening > 0 then avg := f.price; end if;
      end if;
      q := after;
    end loop;
    update positions set open_trip = case when t_side is null then null else jsonb_build_object(
      'side', t_side, 'openedAt', to_char(t_open at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'entryQty', trim_scale(t_eq)::text, 'entryValue', trim_scale(t_ev)::text, 'exitQty', trim_scale(t_xq)::text, 'exitValue', trim_scale(t_xv)::text,
      'maxQty', trim_scale(t_max)::text, 'charges', trim_scale(t_ch)::text, 'pnl', trim_scale(t_pnl)::text, 'fills', t_fills) end
    where id = p.id;
  end loop;
end $$;`;

export class Migration20261201151743 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "round_trips" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "position_id" uuid not null, "strategy_id" uuid not null, "user_id" uuid not null, "symbol" varchar(64) not null, "mode" text check ("mode" in ('PAPER', 'LIVE')) not null, "side" varchar(5) not null, "qty" numeric(20,4) not null, "entry_price" numeric(20,4) not null, "exit_price" numeric(20,4) not null, "max_qty" numeric(20,4) not null, "turnover" numeric(20,4) not null, "gross_pnl" numeric(20,4) not null, "charges" numeric(20,4) not null, "net_pnl" numeric(20,4) not null, "opened_at" timestamptz not null, "closed_at" timestamptz not null, "fills" int not null, "closing_fill_id" uuid not null, constraint "round_trips_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "round_trips" add column "closed_day" date generated always as ((closed_at at time zone 'Asia/Kolkata')::date) stored null;`,
    );
    this.addSql(
      `alter table "round_trips" add constraint "round_trips_closing_fill_id_unique" unique ("closing_fill_id");`,
    );
    this.addSql(
      `create index "round_trips_closed_index" on "round_trips" ("closed_at", "id") include ("net_pnl", "user_id", "strategy_id", "symbol", "mode");`,
    );
    this.addSql(
      `create index "round_trips_strategy_index" on "round_trips" ("strategy_id", "closed_at", "id") include ("net_pnl", "symbol", "mode");`,
    );
    this.addSql(
      `create index "round_trips_user_index" on "round_trips" ("user_id", "closed_at", "id") include ("net_pnl", "strategy_id", "symbol", "mode");`,
    );

    this.addSql(
      `alter table "round_trips" add constraint "round_trips_position_id_foreign" foreign key ("position_id") references "positions" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(`alter table "positions" add column "open_trip" jsonb null;`);

    this.addSql(BACKFILL_ROUND_TRIPS);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "round_trips" cascade;`);

    this.addSql(`alter table "positions" drop column "open_trip";`);
  }
}
