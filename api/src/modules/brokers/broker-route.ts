import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { SecretBox } from '../../shared/crypto';
import { BrokerAccountStatus, TradingMode } from '../../shared/enums';
import { BrokerAccount } from './broker-account.entity';

export const PAPER_BROKER = 'paper';

// What routing needs of a strategy (the entity and a StrategySnapshot both fit)
export type RoutedStrategy = { id: string; mode: TradingMode; broker: string; user: { id: string } };

export type BrokerRoute = { broker: string; accountId: string; credentials: Record<string, string>; credentialsVersion: string };

// Where a strategy's orders go: PAPER -> the paper broker with one account per strategy;
// LIVE -> the user's connected account at the strategy's broker (null when none is connected).
export class BrokerRouter {
  constructor(private readonly orm: MikroORM, private readonly box: SecretBox) {}

  // Paper needs no database; live reads the account on the given entity manager (or a fresh one)
  async route(strategy: RoutedStrategy, em?: EntityManager): Promise<BrokerRoute | null> {
    if (strategy.mode === TradingMode.PAPER) return { broker: PAPER_BROKER, accountId: strategy.id, credentials: {}, credentialsVersion: '' };
    const account = await (em ?? this.orm.em.fork()).findOne(BrokerAccount, { user: strategy.user.id, broker: strategy.broker, status: BrokerAccountStatus.CONNECTED });
    return account ? this.accountRoute(account) : null;
  }

  // A connected account's own route (the same client key the orders use); null without a stored token
  accountRoute(account: BrokerAccount): BrokerRoute | null {
    if (account.status !== BrokerAccountStatus.CONNECTED || !account.accessTokenEnc) return null;
    return {
      broker: account.broker,
      accountId: account.id,
      credentials: { clientId: this.box.decrypt(account.clientIdEnc), accessToken: this.box.decrypt(account.accessTokenEnc) },
      credentialsVersion: account.updatedAt.getTime().toString(36),
    };
  }

  async isConnected(strategy: RoutedStrategy): Promise<boolean> {
    if (strategy.mode === TradingMode.PAPER) return true;
    return (await this.orm.em.fork().count(BrokerAccount, { user: strategy.user.id, broker: strategy.broker, status: BrokerAccountStatus.CONNECTED })) > 0;
  }
}
