import { EntityManager } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config/env.schema';
import { Role, TradingMode } from '../shared/enums';
import type { Logger } from '../shared/logger';
import { hashPassword } from '../modules/auth/password';
import { normalizeEmail } from '../modules/auth/auth.service';
import { Strategy } from '../modules/strategies/strategy.entity';
import { User } from '../modules/users/user.entity';

export const SAMPLE_STRATEGY_NAME = 'Sample: RELIANCE 5m breakout (paper)';

// Idempotent: creates the admin and one sample paper strategy only when they are missing. `broker` is the sample's
// broker for LIVE mode (the registry's default live broker).
export async function seed(
  em: EntityManager,
  config: Pick<AppConfig, 'SEED_ADMIN_EMAIL' | 'SEED_ADMIN_PASSWORD'>,
  logger: Logger,
  broker: string,
): Promise<void> {
  const email = normalizeEmail(config.SEED_ADMIN_EMAIL);
  await em.getConnection().execute(
    `insert into users (id, email, password_hash, role, status, created_at, updated_at)
     values (gen_random_uuid(), ?, ?, ?, 'ACTIVE', now(), now()) on conflict (email) do nothing`,
    [email, await hashPassword(config.SEED_ADMIN_PASSWORD), Role.ADMIN],
  );
  const admin = await em.findOneOrFail(User, { email });
  const hasSample = await em.count(Strategy, { user: admin, name: SAMPLE_STRATEGY_NAME });
  if (!hasSample) {
    em.create(Strategy, {
      user: admin,
      name: SAMPLE_STRATEGY_NAME,
      symbol: 'RELIANCE',
      exchangeSegment: 'NSE_EQ',
      productType: 'INTRADAY',
      timeframe: '5m',
      qty: '1',
      mode: TradingMode.PAPER,
      broker,
      enabled: true,
    } as Strategy);
    await em.flush();
    logger.info('seeded sample strategy', { name: SAMPLE_STRATEGY_NAME });
  }
}
