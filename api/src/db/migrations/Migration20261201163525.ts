import { Migration } from '@mikro-orm/migrations';

// A strategy's broker is chosen by the api when it is made (the first live plugin configured): the column no
// longer defaults to one broker's name
export class Migration20261201163525 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "strategies" alter column "broker" drop default;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "strategies" alter column "broker" set default 'dhan';`);
  }
}
