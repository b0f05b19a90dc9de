import { Migration } from '@mikro-orm/migrations';

// Issue 18, many accounts per broker: broker_accounts gets a label ('' = the default account connected without one)
// and is unique per (user, broker, label) instead of (user, broker); strategies.broker_account_id names the account
// a LIVE strategy trades on (null = the user's default account at its broker, as before). Existing LIVE fan-out
// targets are pinned to the account they trade on today.
export class Migration20261202003922 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "strategies" add column "broker_account_id" uuid null;`);
    this.addSql(`alter table "broker_accounts" drop constraint "broker_accounts_user_id_broker_unique";`);
    this.addSql(`alter table "broker_accounts" add column "label" varchar(64) not null default '';`);
    this.addSql(
      `alter table "broker_accounts" add constraint "broker_accounts_user_id_broker_label_unique" unique ("user_id", "broker", "label");`,
    );
    this.addSql(
      `update "strategies" s set "broker_account_id" = a."id" from "broker_accounts" a
        where s."parent_strategy_id" is not null and s."mode" = 'LIVE' and a."user_id" = s."user_id" and a."broker" = s."broker";`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "broker_accounts" drop constraint "broker_accounts_user_id_broker_label_unique";`);
    this.addSql(`alter table "broker_accounts" drop column "label";`);
    this.addSql(
      `alter table "broker_accounts" add constraint "broker_accounts_user_id_broker_unique" unique ("user_id", "broker");`,
    );
    this.addSql(`alter table "strategies" drop column "broker_account_id";`);
  }
}
