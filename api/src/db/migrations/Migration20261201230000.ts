import { Migration } from '@mikro-orm/migrations';

// Issue 18 follow-up: a refused exit re-arms its plan, and each new attempt needs its own idempotency key
// (exit:<plan id>, then exit:<plan id>:2, ...): exit_plans.exit_attempts counts the claims, and retry_after keeps a
// re-armed plan from retrying before its backoff (a feed ticking below the stop must not hammer a refusing broker).
export class Migration20261201230000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "exit_plans" add column "exit_attempts" int not null default 0, add column "retry_after" timestamptz null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "exit_plans" drop column "exit_attempts", drop column "retry_after";`);
  }
}
