import { Migration } from '@mikro-orm/migrations';

export class Migration20261126065645 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "positions" add column "revision" int not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "positions" drop column "revision";`);
  }
}
