import { Migration } from '@mikro-orm/migrations';

export class Migration20261126115916 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index "executions_status_index";`);

    this.addSql(
      `create index "executions_open_index" on "executions" ("strategy_id", "symbol", "created_at") where "status" in ('PENDING', 'PLACED', 'PARTIALLY_FILLED');`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "executions_open_index";`);

    this.addSql(`create index "executions_status_index" on "executions" ("status");`);
  }
}
