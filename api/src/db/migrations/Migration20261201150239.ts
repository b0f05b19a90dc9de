import { Migration } from '@mikro-orm/migrations';

export class Migration20261201150239 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "notification_preferences" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "user_id" uuid not null, "strategy_id" uuid null, "events" jsonb not null, constraint "notification_preferences_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create unique index "notification_preferences_scope_unique" on "notification_preferences" ("user_id", "strategy_id") nulls not distinct;`,
    );

    this.addSql(
      `create table "notification_outbox" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "user_id" uuid null, "event" varchar(48) not null, "strategy_id" uuid null, "execution_id" uuid null, "data" jsonb null, "everyone" boolean not null default false, "admins" boolean not null default false, "dedupe_key" varchar(120) null, "dispatched_at" timestamptz null, constraint "notification_outbox_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "notification_outbox" add constraint "notification_outbox_dedupe_key_unique" unique ("dedupe_key");`,
    );
    this.addSql(
      `create index "notification_outbox_pending_index" on "notification_outbox" ("created_at") where "dispatched_at" is null;`,
    );

    this.addSql(
      `alter table "notification_preferences" add constraint "notification_preferences_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "notification_preferences" add constraint "notification_preferences_strategy_id_foreign" foreign key ("strategy_id") references "strategies" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "notification_outbox" add constraint "notification_outbox_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(`alter table "notification_channels" drop column "events", drop column "enabled";`);

    this.addSql(
      `alter table "notification_channels" add column "verified" boolean not null default false, add column "verified_at" timestamptz null, add column "code_hash" varchar(64) null, add column "code_expires_at" timestamptz null, add column "code_attempts" int not null default 0, add column "send_lease_until" timestamptz null, add column "send_after" timestamptz null;`,
    );
    this.addSql(
      `create unique index "notification_channels_verified_telegram_unique" on "notification_channels" ("target") where "kind" = 'TELEGRAM' and "verified";`,
    );
    this.addSql(
      `alter table "notification_channels" add constraint "notification_channels_user_id_kind_target_unique" unique ("user_id", "kind", "target");`,
    );

    this.addSql(`drop index "notifications_status_created_at_index";`);
    // Rows written before anything sent them had no channel: they stay in the log, closed, instead of PENDING forever
    this.addSql(
      `update "notifications" set "status" = 'FAILED', "error" = 'written before notifications were sent' where "channel_id" is null and "status" = 'PENDING';`,
    );

    this.addSql(
      `alter table "notifications" add column "html" text null, add column "next_attempt_at" timestamptz not null default now();`,
    );
    this.addSql(
      `create index "notifications_pending_index" on "notifications" ("channel_id", "next_attempt_at") where "status" = 'PENDING';`,
    );
    this.addSql(`create index "notifications_user_id_created_at_index" on "notifications" ("user_id", "created_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "notification_preferences" cascade;`);

    this.addSql(`drop table if exists "notification_outbox" cascade;`);

    this.addSql(`drop index "notification_channels_verified_telegram_unique";`);
    this.addSql(
      `alter table "notification_channels" drop constraint "notification_channels_user_id_kind_target_unique";`,
    );
    this.addSql(
      `alter table "notification_channels" drop column "verified", drop column "verified_at", drop column "code_hash", drop column "code_expires_at", drop column "code_attempts", drop column "send_lease_until", drop column "send_after";`,
    );

    this.addSql(
      `alter table "notification_channels" add column "events" jsonb not null default '[]', add column "enabled" bool not null default true;`,
    );

    this.addSql(`drop index "notifications_pending_index";`);
    this.addSql(`drop index "notifications_user_id_created_at_index";`);
    this.addSql(`alter table "notifications" drop column "html", drop column "next_attempt_at";`);

    this.addSql(`create index "notifications_status_created_at_index" on "notifications" ("status", "created_at");`);
  }
}
