import type { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../../db/query';
import { logger } from '../../shared/logger';
import { PreferenceRow, UserPreferences } from './notification-preferences';

const REFRESH_MS = 5000;

// Who could hear about an order event at all: users with a verified channel, and what they chose. The events
// listener asks this before recording anything, so users without channels (most alerts in a burst) cost nothing.
// Changes made through this process apply at once (refresh()), changes made in another process within REFRESH_MS.
export class NotificationAudience {
  private users = new Map<string, UserPreferences>();
  private loadedAt = 0;
  private requested = 0;
  private applied = 0;
  private background = false;

  constructor(private readonly em: () => EntityManager) {}

  // Whether the event may reach the user: a cheap over-approximation; the dispatcher applies the exact scope
  wants(userId: string, event: string): boolean {
    if (Date.now() - this.loadedAt > REFRESH_MS && !this.background) {
      this.background = true;
      void this.refresh()
        .catch((error) => logger.warn('notification audience refresh failed', { error }))
        .finally(() => {
          this.background = false;
        });
    }
    return this.users.get(userId)?.wantsAnywhere(event) ?? false;
  }

  // Loads concurrently with any other refresh; only a newer load replaces what an older one found
  async refresh(): Promise<void> {
    const mine = ++this.requested;
    const users = await this.load();
    if (mine <= this.applied) return;
    this.applied = mine;
    this.users = users;
    this.loadedAt = Date.now();
  }

  private async load(): Promise<Map<string, UserPreferences>> {
    const rows = await query<{ user_id: string; strategy_id: string | null; events: string[] | null }>(
      this.em(),
      `
      select u.user_id, p.strategy_id, p.events
      from (select distinct c.user_id from notification_channels c join users us on us.id = c.user_id
            where c.verified and us.status = 'ACTIVE') u
      left join notification_preferences p on p.user_id = u.user_id`,
    );
    const byUser = new Map<string, PreferenceRow[]>();
    for (const row of rows) {
      const list = byUser.get(row.user_id) ?? [];
      if (row.events) list.push({ strategyId: row.strategy_id, events: row.events });
      byUser.set(row.user_id, list);
    }
    return new Map([...byUser].map(([userId, list]) => [userId, new UserPreferences(list)]));
  }
}
