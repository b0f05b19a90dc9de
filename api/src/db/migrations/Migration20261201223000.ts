import { Migration } from '@mikro-orm/migrations';

// Issue 18, one strategy many accounts: a fan-out target is a strategy with a parent (it trades the parent's
// alerts on another account) and a quantity multiplier.
export class Migration20261201223000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "strategies" add column "parent_strategy_id" uuid null, add column "fan_out_multiplier" numeric(20,4) null;`,
    );
    this.addSql(
      `alter table "strategies" add constraint "strategies_parent_strategy_id_foreign" foreign key ("parent_strategy_id") references "strategies" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `create index "strategies_live_targets_index" on "strategies" ("parent_strategy_id") where "deleted_at" is null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "strategies" drop constraint "strategies_parent_strategy_id_foreign";`);
    this.addSql(`drop index "strategies_live_targets_index";`);
    this.addSql(`alter table "strategies" drop column "parent_strategy_id", drop column "fan_out_multiplier";`);
  }
}
