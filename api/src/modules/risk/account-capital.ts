import Decimal from 'decimal.js';
import type { BrokerRouter } from '../brokers/broker-route';
import type { BrokerRegistry } from '../brokers/plugin-registry';
import type { StrategySnapshot } from '../strategies/strategy-snapshot';

// The capital a percent-of-capital entry is sized from: the available funds of the account the strategy's orders
// go to (paper: its paper account; LIVE: the connected broker account), read through the SDK's funds()
export class AccountCapital {
  constructor(
    private readonly router: BrokerRouter,
    private readonly brokers: BrokerRegistry,
  ) {}

  async available(strategy: StrategySnapshot): Promise<Decimal | null> {
    const route = await this.router.route(strategy);
    if (!route) return null;
    const plugin = this.brokers.plugin(route.broker);
    if (!plugin.manifest.has.funds) return null;
    const client = await this.brokers.client(
      route.broker,
      route.accountId,
      route.credentials,
      route.credentialsVersion,
    );
    return new Decimal((await client.funds()).available);
  }
}
