import { Migration } from '@mikro-orm/migrations';

export class Migration20261126050056 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "strategies" add column "broker" varchar(32) not null default 'dhan';`);

    this.addSql(
      `alter table "executions" add column "lease_until" timestamptz null, add column "source" varchar(16) not null default 'alert', add column "lot_size" numeric(20,4) null, add column "tick_size" numeric(20,4) null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "executions" drop column "lease_until", drop column "source", drop column "lot_size", drop column "tick_size";`,
    );

    this.addSql(`alter table "strategies" drop column "broker";`);
  }
}
