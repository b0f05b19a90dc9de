import { Migration } from '@mikro-orm/migrations';

// Issue 18 part B: the approval queue (strategies.require_approval, approval_timeout_minutes; execution status
// AWAITING_APPROVAL; events AWAITING_APPROVAL, APPROVED). rate_limits is the shared limiters' table, not an entity's.
export class Migration20261201193040 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "executions" drop constraint if exists "executions_status_check";`);

    this.addSql(`alter table "execution_events" drop constraint if exists "execution_events_type_check";`);

    this.addSql(
      `alter table "strategies" add column "require_approval" boolean not null default false, add column "approval_timeout_minutes" int not null default 5;`,
    );

    this.addSql(
      `alter table "executions" add constraint "executions_status_check" check("status" in ('AWAITING_APPROVAL', 'PENDING', 'PLACED', 'PARTIALLY_FILLED', 'FILLED', 'REJECTED', 'CANCELLED', 'FAILED'));`,
    );

    this.addSql(
      `alter table "execution_events" add constraint "execution_events_type_check" check("type" in ('ALERT_RECEIVED', 'ORDER_PLACED', 'ORDER_FILLED', 'ORDER_REJECTED', 'ORDER_CANCELLED', 'ERROR', 'AWAITING_APPROVAL', 'APPROVED'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "execution_events" drop constraint if exists "execution_events_type_check";`);

    this.addSql(`alter table "executions" drop constraint if exists "executions_status_check";`);

    this.addSql(
      `alter table "execution_events" add constraint "execution_events_type_check" check("type" in ('ALERT_RECEIVED', 'ORDER_PLACED', 'ORDER_FILLED', 'ORDER_REJECTED', 'ORDER_CANCELLED', 'ERROR'));`,
    );

    this.addSql(
      `alter table "executions" add constraint "executions_status_check" check("status" in ('PENDING', 'PLACED', 'PARTIALLY_FILLED', 'FILLED', 'REJECTED', 'CANCELLED', 'FAILED'));`,
    );

    this.addSql(`alter table "strategies" drop column "require_approval", drop column "approval_timeout_minutes";`);
  }
}
