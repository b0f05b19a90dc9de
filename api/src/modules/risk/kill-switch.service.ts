import { EntityManager } from '@mikro-orm/postgresql';
import type { Sql } from '../../db/sql';
import { AppSetting } from '../settings/app-setting.entity';
import { type ChangeFeed, Freshness } from '../../cluster/change-feed';

const KEY = 'kill_switch';
export type KillSwitchState = { enabled: boolean; changedAt?: string; changedBy?: string };

// Stored in PostgreSQL so every api process sees the same switch. Every alert and order checks it, so the value
// is cached: this process sees its own change at once, the others as soon as the change feed (a trigger on
// app_settings -> NOTIFY) tells them; while the feed is not healthy the value is kept only cacheMs.
export class KillSwitchService {
  private cached?: { at: number; stamp: number; state: KillSwitchState };
  private readonly freshness: Freshness;

  constructor(
    private readonly sql: Sql,
    cacheMs = 1000,
    changes?: ChangeFeed,
  ) {
    this.freshness = new Freshness(changes, cacheMs, 60_000);
    changes?.on('app_settings', (key) => {
      if (key === KEY) this.forget();
    });
    changes?.onMissed(() => this.forget());
  }

  async state(): Promise<KillSwitchState> {
    if (this.cached && this.freshness.fresh(this.cached.stamp, this.cached.at)) return this.cached.state;
    const at = Date.now();
    const stamp = this.freshness.stamp();
    const rows = await this.sql.query<{ value: KillSwitchState }>('select value from app_settings where key = ?', [
      KEY,
    ]);
    const state = rows[0]?.value ?? { enabled: false };
    this.cached = { at, stamp, state };
    return state;
  }

  private forget(): void {
    this.freshness.bump();
    this.cached = undefined;
  }

  async isOn(): Promise<boolean> {
    return (await this.state()).enabled;
  }

  async set(em: EntityManager, enabled: boolean, actorEmail: string): Promise<KillSwitchState> {
    const value: KillSwitchState = { enabled, changedAt: new Date().toISOString(), changedBy: actorEmail };
    await em.upsert(AppSetting, { key: KEY, value });
    this.cached = { at: Date.now(), stamp: this.freshness.stamp(), state: value };
    return value;
  }
}
