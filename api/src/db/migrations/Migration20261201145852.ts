import { Migration } from '@mikro-orm/migrations';

export class Migration20261201145852 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "strategies" add column "after_market_orders" boolean not null default false;`);

    this.addSql(`alter table "executions" add column "broker_account_id" varchar(64) null;`);

    // Existing orders keep going where they went: paper to the strategy's paper account, LIVE to the user's account
    // at the execution's broker (one per user and broker)
    this.addSql(`update "executions" set "broker_account_id" = "strategy_id"::text where "mode" = 'PAPER';`);
    this.addSql(
      `update "executions" e set "broker_account_id" = a."id"::text from "broker_accounts" a where e."mode" = 'LIVE' and a."user_id" = e."user_id" and a."broker" = e."broker";`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "executions" drop column "broker_account_id";`);

    this.addSql(`alter table "strategies" drop column "after_market_orders";`);
  }
}
