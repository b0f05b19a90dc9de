import { Entity, Opt, PrimaryKey, Property } from '@mikro-orm/core';

// One row per Telegram update some api process took on: Telegram redelivers a webhook update that got no 200, maybe
// to another process, and the first insert wins. Kept two days (Telegram keeps an undelivered update for one).
@Entity({ tableName: 'telegram_update_claims' })
export class TelegramUpdateClaim {
  // The bot's id (the token's number): a new bot numbers its updates from scratch
  @PrimaryKey({ type: 'bigint' })
  botId!: string;

  @PrimaryKey({ type: 'bigint' })
  updateId!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  claimedAt: Opt<Date> = new Date();
}
