import { Migration } from '@mikro-orm/migrations';

// Issue 20: the exchange algo id on executions; broker sessions (how the token was made, renewal, opt-in PIN + TOTP
// login secrets stored encrypted, expiry notices sent once per token) and the opt-in broker kill switch per account.
export class Migration20261201182142 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "executions" add column "algo_id" varchar(32) null;`);

    this.addSql(
      `alter table "broker_accounts" add column "token_via" varchar(8) null, add column "session_renewed_at" timestamptz null, add column "pin_enc" text null, add column "totp_secret_enc" text null, add column "auto_login" boolean not null default false, add column "broker_kill_switch" boolean not null default false, add column "expiry_warned_for" timestamptz null, add column "expiry_noticed_for" timestamptz null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "broker_accounts" drop column "token_via", drop column "session_renewed_at", drop column "pin_enc", drop column "totp_secret_enc", drop column "auto_login", drop column "broker_kill_switch", drop column "expiry_warned_for", drop column "expiry_noticed_for";`,
    );

    this.addSql(`alter table "executions" drop column "algo_id";`);
  }
}
