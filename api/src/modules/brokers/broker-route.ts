import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { SecretBox } from '../../shared/crypto';
import { BrokerAccountStatus, TradingMode } from '../../shared/enums';
import { BrokerAccount } from './broker-account.entity';
import { findAccount } from './broker-account-lookup';
import type { BrokerRegistry } from './plugin-registry';

// What routing needs of a strategy (the entity and a StrategySnapshot both fit)
export type RoutedStrategy = {
  id: string;
  mode: TradingMode;
  broker: string;
  user: { id: string };
  brokerAccountId?: string | null;
};

// What routing needs of an execution (its claim, or the entity's columns)
export type RoutedExecution = {
  mode: TradingMode | string;
  broker: string;
  accountId?: string | null;
  strategyId: string;
  userId: string;
};

export type BrokerRoute = {
  broker: string;
  accountId: string;
  credentials: Record<string, string>;
  credentialsVersion: string;
};

// Where a strategy's orders go: PAPER -> the paper venue (the plugin that says paper: true) with one account per
// strategy; LIVE -> the strategy's broker account (brokerAccountId), else the user's default (first) account at the
// strategy's broker; null when that account is not connected.
export class BrokerRouter {
  constructor(
    private readonly orm: MikroORM,
    private readonly box: SecretBox,
    private readonly brokers: BrokerRegistry,
  ) {}

  // Paper needs no database; live reads the account on the given entity manager (or a fresh one)
  route(strategy: RoutedStrategy, em?: EntityManager): Promise<BrokerRoute | null> {
    return this.routeFor(
      {
        mode: strategy.mode,
        broker: strategy.broker,
        // LIVE: the strategy's chosen account (none: the user's default account at its broker)
        accountId: strategy.mode === TradingMode.PAPER ? null : (strategy.brokerAccountId ?? null),
        strategyId: strategy.id,
        userId: strategy.user.id,
      },
      em,
    );
  }

  // Where an execution's orders go: the broker and account recorded on it (set when it was accepted or first
  // placed), whatever its strategy says now. Without a recorded account (LIVE, not yet placed): the user's account
  // at the execution's broker. A LIVE account that is no longer connected has no route.
  async routeFor(target: RoutedExecution, em?: EntityManager): Promise<BrokerRoute | null> {
    if (target.mode === TradingMode.PAPER)
      return {
        broker: this.brokers.paperBroker(),
        accountId: target.accountId ?? target.strategyId,
        credentials: {},
        credentialsVersion: '',
      };
    const account = await this.liveAccount(target, em);
    return account ? this.accountRoute(account) : null;
  }

  // A connected account's own route (the same client key the orders use); null without a stored token
  accountRoute(account: BrokerAccount): BrokerRoute | null {
    if (account.status !== BrokerAccountStatus.CONNECTED || !account.accessTokenEnc) return null;
    return {
      broker: account.broker,
      accountId: account.id,
      credentials: {
        clientId: this.box.decrypt(account.clientIdEnc),
        accessToken: this.box.decrypt(account.accessTokenEnc),
      },
      credentialsVersion: account.updatedAt.getTime().toString(36),
    };
  }

  // The execution's (or strategy's) account, else the user's default account at the broker; connected only
  private async liveAccount(target: RoutedExecution, em?: EntityManager): Promise<BrokerAccount | null> {
    const account = target.accountId
      ? await (em ?? this.orm.em.fork()).findOne(BrokerAccount, { id: target.accountId, broker: target.broker })
      : await findAccount(em ?? this.orm.em.fork(), target.userId, target.broker);
    return account?.status === BrokerAccountStatus.CONNECTED ? account : null;
  }

  async isConnected(strategy: RoutedStrategy): Promise<boolean> {
    if (strategy.mode === TradingMode.PAPER) return true;
    const account = await this.liveAccount({
      mode: strategy.mode,
      broker: strategy.broker,
      accountId: strategy.brokerAccountId ?? null,
      strategyId: strategy.id,
      userId: strategy.user.id,
    });
    return account !== null;
  }
}
