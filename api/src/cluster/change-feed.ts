import type { PgChannels } from './pg-channels';

// Rows whose change other processes must hear of at once, as "<table>:<id>" on CHANGES_CHANNEL. The triggers
// that send them live in the database (migration Migration20261201171500), so every writer is heard: any api
// process, the ORM or raw SQL, an operator in psql.
export const CHANGES_CHANNEL = 'algodatta_changes';
export type ChangedTable = 'strategies' | 'users' | 'api_keys' | 'app_settings' | 'exit_plans';

export type ChangeFeed = {
  // handler(id) after a row of `table` was inserted, updated (the columns that matter) or deleted, in any process
  on(table: ChangedTable, handler: (id: string) => void): void;
  // Changes may have been missed (the LISTEN connection was replaced): forget everything cached
  onMissed(handler: () => void): void;
  // Whether every change committed more than about a second ago has been heard (see PgChannels.healthy)
  healthy(): boolean;
};

export function pgChangeFeed(channels: PgChannels): ChangeFeed {
  const handlers = new Map<string, Array<(id: string) => void>>();
  channels.listen(CHANGES_CHANNEL, (payload) => {
    const colon = payload.indexOf(':');
    if (colon < 0) return;
    for (const handler of handlers.get(payload.slice(0, colon)) ?? []) handler(payload.slice(colon + 1));
  });
  return {
    on: (table, handler) => {
      handlers.set(table, [...(handlers.get(table) ?? []), handler]);
    },
    onMissed: (handler) => channels.onReconnect(handler),
    healthy: () => channels.healthy(),
  };
}

// A cache entry's right to be served. Entries are stamped with the epoch taken before their value was read;
// any change to what they cache bumps the epoch, so a value read while a change committed is never kept. An
// entry younger than shortMs is served regardless (what one process alone always did); an older one only while
// the change feed is healthy (it would have heard of a change), up to longMs.
export class Freshness {
  private epoch = 0;

  constructor(
    private readonly feed: Pick<ChangeFeed, 'healthy'> | undefined,
    private readonly shortMs: number,
    private readonly longMs: number,
  ) {}

  stamp(): number {
    return this.epoch;
  }

  bump(): void {
    this.epoch += 1;
  }

  fresh(stamp: number, at: number): boolean {
    if (stamp !== this.epoch) return false;
    const age = Date.now() - at;
    return age < this.shortMs || (age < this.longMs && this.feed !== undefined && this.feed.healthy());
  }
}
