import { Migration } from '@mikro-orm/migrations';

// Issue 18: the legs of an execution split at the exchange freeze limit (execution-leg.entity.ts).
export class Migration20261201214500 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "execution_legs" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "execution_id" uuid not null, "leg" int not null, "client_order_id" varchar(64) not null, "broker_order_id" varchar(64) null, "qty" numeric(20,4) not null, "status" varchar(24) not null default 'NEW', "filled_qty" numeric(20,4) not null default '0', "avg_fill_price" numeric(20,4) null, "last_error" text null, constraint "execution_legs_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "execution_legs_client_order_id_index" on "execution_legs" ("client_order_id");`);
    this.addSql(
      `create index "execution_legs_unsent_index" on "execution_legs" ("execution_id") where "status" = 'NEW';`,
    );
    this.addSql(
      `alter table "execution_legs" add constraint "execution_legs_execution_id_leg_unique" unique ("execution_id", "leg");`,
    );
    this.addSql(
      `alter table "execution_legs" add constraint "execution_legs_execution_id_foreign" foreign key ("execution_id") references "executions" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "execution_legs" cascade;`);
  }
}
