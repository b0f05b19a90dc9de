import { Migration } from '@mikro-orm/migrations';

// Issue 18 part A: signal age, protections and sizing per strategy; the sizing decision and the position check
// per execution
export class Migration20261201182154 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "strategies" add column "max_signal_age_seconds" int null default 60, add column "cooldown_minutes" int null, add column "max_trades_per_day" int null, add column "sync_to_trading_view" boolean not null default false, add column "sizing_mode" text check ("sizing_mode" in ('ALERT', 'FIXED', 'PERCENT_OF_CAPITAL', 'RISK_PER_TRADE', 'MULTIPLIER')) not null default 'ALERT', add column "sizing_value" numeric(20,4) null;`,
    );

    this.addSql(`alter table "executions" add column "sizing" jsonb null, add column "position_check" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "executions" drop column "sizing", drop column "position_check";`);

    this.addSql(
      `alter table "strategies" drop column "max_signal_age_seconds", drop column "cooldown_minutes", drop column "max_trades_per_day", drop column "sync_to_trading_view", drop column "sizing_mode", drop column "sizing_value";`,
    );
  }
}
