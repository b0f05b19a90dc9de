import { EntityManager } from '@mikro-orm/postgresql';
import { AppSetting } from './app-setting.entity';

const KEY = 'kill_switch';
export type KillSwitchState = { enabled: boolean; changedAt?: string; changedBy?: string };

// Stored in PostgreSQL so every api process sees the same switch; read on each alert (a primary-key lookup).
export class KillSwitchService {
  async state(em: EntityManager): Promise<KillSwitchState> {
    const rows = await em.getConnection().execute<{ value: KillSwitchState }[]>('select value from app_settings where key = ?', [KEY]);
    return rows[0]?.value ?? { enabled: false };
  }

  async isOn(em: EntityManager): Promise<boolean> {
    return (await this.state(em)).enabled;
  }

  async set(em: EntityManager, enabled: boolean, actorEmail: string): Promise<KillSwitchState> {
    const value: KillSwitchState = { enabled, changedAt: new Date().toISOString(), changedBy: actorEmail };
    await em.upsert(AppSetting, { key: KEY, value });
    return value;
  }
}
