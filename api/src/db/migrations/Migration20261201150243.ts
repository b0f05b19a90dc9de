import { Migration } from '@mikro-orm/migrations';

export class Migration20261201150243 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "strategies" add column "allowed_symbols" text[] not null default '{}';`);

    this.addSql(
      `alter table "executions" add column "requested_qty" numeric(20,4) null, add column "market_position" varchar(8) null, add column "market_position_qty" numeric(20,4) null, add column "plan" jsonb null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "executions" drop column "requested_qty", drop column "market_position", drop column "market_position_qty", drop column "plan";`,
    );

    this.addSql(`alter table "strategies" drop column "allowed_symbols";`);
  }
}
