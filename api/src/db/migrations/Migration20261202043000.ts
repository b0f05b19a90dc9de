import { Migration } from '@mikro-orm/migrations';

// Issue 13: every process keeps in memory whether a strategy may have an open exit plan (exits/open-plans.ts), so a
// strategy without plans costs no exit_plans read per priced alert or per fill. A plan written by any process (or by
// hand) sends NOTIFY algodatta_changes 'exit_plans:<strategy id>' with its transaction, like the other change
// triggers (Migration20261201171500).
export class Migration20261202043000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create trigger "exit_plans_notify_change" after insert or update of "status" or delete on "exit_plans" for each row execute function algodatta_notify_change('strategy_id');`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "exit_plans_notify_change" on "exit_plans";`);
  }
}
