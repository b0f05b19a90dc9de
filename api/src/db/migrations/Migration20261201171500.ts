import { Migration } from '@mikro-orm/migrations';

// Several api processes on one database (issue 19), written by hand (no entity: neither object is the ORM's):
// - rate_limits: the counters of rate-limiter-flexible's PostgreSQL store (RateLimiterPostgres's own layout, the
//   key as text). UNLOGGED: a counter is worth no WAL flush, and a crash that empties the table only forgets
//   counts of the current window.
// - change triggers: a row of strategies, users (status, role), api_keys (revocation, expiry) or app_settings that
//   changes sends NOTIFY algodatta_changes '<table>:<id>' with its transaction, so every process's caches and
//   live sessions hear of it on commit, whoever wrote it (see api/src/cluster/change-feed.ts).
export class Migration20261201171500 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create unlogged table if not exists "rate_limits" ("key" text not null primary key, "points" integer not null default 0, "expire" bigint null);`,
    );

    this.addSql(`create or replace function algodatta_notify_change() returns trigger language plpgsql as $$
declare
  id text;
begin
  id := to_jsonb(case when TG_OP = 'DELETE' then OLD else NEW end) ->> TG_ARGV[0];
  perform pg_notify('algodatta_changes', TG_TABLE_NAME || ':' || coalesce(id, ''));
  return null;
end $$;`);
    this.addSql(
      `create trigger "strategies_notify_change" after insert or update or delete on "strategies" for each row execute function algodatta_notify_change('id');`,
    );
    this.addSql(
      `create trigger "users_notify_change" after update of "status", "role" or delete on "users" for each row execute function algodatta_notify_change('id');`,
    );
    this.addSql(
      `create trigger "api_keys_notify_change" after update of "revoked_at", "expires_at" or delete on "api_keys" for each row execute function algodatta_notify_change('id');`,
    );
    this.addSql(
      `create trigger "app_settings_notify_change" after insert or update or delete on "app_settings" for each row execute function algodatta_notify_change('key');`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "app_settings_notify_change" on "app_settings";`);
    this.addSql(`drop trigger if exists "api_keys_notify_change" on "api_keys";`);
    this.addSql(`drop trigger if exists "users_notify_change" on "users";`);
    this.addSql(`drop trigger if exists "strategies_notify_change" on "strategies";`);
    this.addSql(`drop function if exists algodatta_notify_change();`);
    this.addSql(`drop table if exists "rate_limits";`);
  }
}
