import { Migration } from '@mikro-orm/migrations';

export class Migration20261201164806 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "telegram_update_claims" ("bot_id" bigint not null, "update_id" bigint not null, "claimed_at" timestamptz not null default now(), constraint "telegram_update_claims_pkey" primary key ("bot_id", "update_id"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "telegram_update_claims" cascade;`);
  }
}
