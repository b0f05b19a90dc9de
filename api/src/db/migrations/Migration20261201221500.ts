import { Migration } from '@mikro-orm/migrations';

// Issue 18, Telegram approval buttons: a notification names the execution it is about, so an approval request
// sent to Telegram can carry Approve / Reject buttons for it.
export class Migration20261201221500 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "notifications" add column "execution_id" uuid null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "notifications" drop column "execution_id";`);
  }
}
