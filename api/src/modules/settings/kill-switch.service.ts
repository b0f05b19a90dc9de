import { EntityManager } from '@mikro-orm/postgresql';
import type { Sql } from '../../db/sql';
import { AppSetting } from './app-setting.entity';

const KEY = 'kill_switch';
export type KillSwitchState = { enabled: boolean; changedAt?: string; changedBy?: string };

// Stored in PostgreSQL so every api process sees the same switch. Every alert and order checks it, so the
// value is cached for CACHE_MS: this process sees a change at once, other processes within CACHE_MS.
export class KillSwitchService {
  private cached?: { at: number; state: KillSwitchState };

  constructor(private readonly sql: Sql, private readonly cacheMs = 1000) {}

  async state(): Promise<KillSwitchState> {
    if (this.cached && Date.now() - this.cached.at < this.cacheMs) return this.cached.state;
    const rows = await this.sql.query<{ value: KillSwitchState }>('select value from app_settings where key = ?', [KEY]);
    const state = rows[0]?.value ?? { enabled: false };
    this.cached = { at: Date.now(), state };
    return state;
  }

  async isOn(): Promise<boolean> {
    return (await this.state()).enabled;
  }

  async set(em: EntityManager, enabled: boolean, actorEmail: string): Promise<KillSwitchState> {
    const value: KillSwitchState = { enabled, changedAt: new Date().toISOString(), changedBy: actorEmail };
    await em.upsert(AppSetting, { key: KEY, value });
    this.cached = { at: Date.now(), state: value };
    return value;
  }
}
