import { Migration } from '@mikro-orm/migrations';

// Issue 18, exits attached to a signal: strategies.exit_defaults, the exit_plans table and the EXIT_PLAN event.
export class Migration20261201220000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "exit_plans" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "strategy_id" uuid not null, "user_id" uuid not null, "entry_execution_id" uuid not null, "alert_id" uuid not null, "correlation_id" uuid not null, "ticker" varchar(64) not null, "symbol" varchar(64) not null, "mode" varchar(8) not null, "side" varchar(8) not null, "entry_price" numeric(20,4) not null, "stop_price" numeric(20,4) null, "stop_origin" varchar(16) null, "take_profit_price" numeric(20,4) null, "trail" jsonb null, "best_price" numeric(20,4) not null, "breakeven_price" numeric(20,4) null, "breakeven_done" boolean not null default false, "expires_at" timestamptz null, "spec" jsonb not null, "status" varchar(16) not null default 'ACTIVE', "revision" int not null default 0, "exit_reason" varchar(16) null, "exit_price" numeric(20,4) null, "exit_execution_id" uuid null, "end_reason" text null, "ended_at" timestamptz null, constraint "exit_plans_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "exit_plans" add constraint "exit_plans_entry_execution_id_unique" unique ("entry_execution_id");`,
    );
    this.addSql(
      `create index "exit_plans_open_index" on "exit_plans" ("strategy_id", "symbol") where "status" in ('ACTIVE', 'TRIGGERED');`,
    );
    this.addSql(
      `alter table "exit_plans" add constraint "exit_plans_strategy_id_foreign" foreign key ("strategy_id") references "strategies" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(`alter table "strategies" add column "exit_defaults" jsonb null;`);
    this.addSql(`alter table "execution_events" drop constraint if exists "execution_events_type_check";`);
    this.addSql(
      `alter table "execution_events" add constraint "execution_events_type_check" check("type" in ('ALERT_RECEIVED', 'ORDER_PLACED', 'ORDER_FILLED', 'ORDER_REJECTED', 'ORDER_CANCELLED', 'ERROR', 'AWAITING_APPROVAL', 'APPROVED', 'EXIT_PLAN'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "execution_events" drop constraint if exists "execution_events_type_check";`);
    this.addSql(
      `alter table "execution_events" add constraint "execution_events_type_check" check("type" in ('ALERT_RECEIVED', 'ORDER_PLACED', 'ORDER_FILLED', 'ORDER_REJECTED', 'ORDER_CANCELLED', 'ERROR', 'AWAITING_APPROVAL', 'APPROVED'));`,
    );
    this.addSql(`alter table "strategies" drop column "exit_defaults";`);
    this.addSql(`drop table if exists "exit_plans" cascade;`);
  }
}
