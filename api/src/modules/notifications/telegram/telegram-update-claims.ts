import type { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../../../db/query';
import { logger } from '../../../shared/logger';

const PRUNE_EVERY_MS = 3_600_000;
const CLAIM_SQL = `insert into telegram_update_claims (bot_id, update_id) values (?, ?) on conflict do nothing returning update_id`;
const RELEASE_SQL = `delete from telegram_update_claims where bot_id = ? and update_id = ?`;
const PRUNE_SQL = `delete from telegram_update_claims where claimed_at < now() - interval '2 days'`;

// Runs each Telegram update once across api processes (telegram_update_claims)
export class TelegramUpdateClaims {
  private prunedAt = 0;

  constructor(
    private readonly em: () => EntityManager,
    private readonly botId: string,
  ) {}

  // True for the first claim of this update anywhere; false when a process already took it
  async claim(updateId: number): Promise<boolean> {
    if (Date.now() - this.prunedAt > PRUNE_EVERY_MS) {
      this.prunedAt = Date.now();
      void query(this.em(), PRUNE_SQL).catch((error: unknown) =>
        logger.warn('telegram update claims: prune failed', { error }),
      );
    }
    const rows = await query<{ update_id: string }>(this.em(), CLAIM_SQL, [this.botId, updateId]);
    return rows.length > 0;
  }

  async release(updateId: number): Promise<void> {
    await query(this.em(), RELEASE_SQL, [this.botId, updateId]);
  }
}
