import { Migration } from '@mikro-orm/migrations';

export class Migration20261126073020 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index "alerts_status_received_at_index";`);
  }

  override async down(): Promise<void> {
    this.addSql(`create index "alerts_status_received_at_index" on "alerts" ("status", "received_at");`);
  }
}
