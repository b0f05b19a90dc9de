import { Entity, PrimaryKey, Property, Opt } from '@mikro-orm/core';

// Process-wide switches that must survive restarts and be shared by every api process (e.g. the kill switch).
@Entity({ tableName: 'app_settings' })
export class AppSetting {
  @PrimaryKey({ length: 64 })
  key!: string;

  @Property({ type: 'json' })
  value!: unknown;

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
