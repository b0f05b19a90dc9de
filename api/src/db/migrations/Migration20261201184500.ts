import { Migration } from '@mikro-orm/migrations';

// Reports keep the figures of the trips closed over an hour ago in report_prefixes (one row per report scope, see
// api/src/modules/reports/report-prefix.ts; UNLOGGED: a crash only empties a cache) and trust them while the
// sequence report_trip_changes stands still. A trip written with a closing time over 30 minutes old (a late fill,
// a recovery, a backfill) and any update, delete or truncate of round_trips advance it. Written by hand: no
// entity. A sequence, not a counter row: nextval neither locks nor leaves dead rows on the fill path.
export class Migration20261201184500 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create sequence if not exists "report_trip_changes";`);
    this
      .addSql(`create unlogged table if not exists "report_prefixes" ("scope_key" text not null primary key, "version" text not null,
  "built_at" timestamptz not null, "split_at" timestamptz not null, "days" text not null, "symbols" text not null, "walk" jsonb not null);`);
    this.addSql(`create or replace function algodatta_report_trip_change() returns trigger language plpgsql as $$
begin
  perform nextval('report_trip_changes');
  return null;
end $$;`);
    this.addSql(`create trigger "round_trips_late_insert" after insert on "round_trips" for each row
  when (new.closed_at < clock_timestamp() - interval '30 minutes') execute function algodatta_report_trip_change();`);
    this.addSql(
      `create trigger "round_trips_change" after update or delete on "round_trips" for each statement execute function algodatta_report_trip_change();`,
    );
    this.addSql(
      `create trigger "round_trips_truncate" after truncate on "round_trips" for each statement execute function algodatta_report_trip_change();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "round_trips_truncate" on "round_trips";`);
    this.addSql(`drop trigger if exists "round_trips_change" on "round_trips";`);
    this.addSql(`drop trigger if exists "round_trips_late_insert" on "round_trips";`);
    this.addSql(`drop function if exists algodatta_report_trip_change();`);
    this.addSql(`drop table if exists "report_prefixes";`);
    this.addSql(`drop sequence if exists "report_trip_changes";`);
  }
}
