import type { Order } from '@algodatta/broker-sdk';
import { logger } from '../../shared/logger';
import type { BrokerRegistry } from '../brokers/plugin-registry';

// The client a venue's session-end job uses: it acts for every account of the venue (allAccounts)
const SESSION_CLOCK_ACCOUNT = 'session-clock';

// The session end of a venue that keeps exchange hours (has.marketHours): its open DAY orders expire, and their
// executions end through the normal order-update path (`apply`, wired at start: the broker-updates stage).
export class SessionEndService {
  constructor(
    private readonly brokers: Pick<BrokerRegistry, 'manifests' | 'marketHours' | 'client'>,
    private readonly apply: (order: Order) => Promise<void>,
  ) {}

  /** The distinct IST times (HH:mm) at which some venue's session ends. */
  sessionEndTimes(): string[] {
    const times = this.venues().flatMap((name) => Object.values(this.brokers.marketHours(name)!.calendar.sessionEnds));
    return [...new Set(times)].sort();
  }

  async expireDayOrders(now: number = Date.now()): Promise<number> {
    let count = 0;
    for (const name of this.venues()) {
      const client = await this.brokers.client(name, SESSION_CLOCK_ACCOUNT);
      const expired = await client.expireDayOrders!(now, { allAccounts: true });
      for (const order of expired) await this.apply(order);
      if (expired.length) logger.info('DAY orders expired at session end', { broker: name, count: expired.length });
      count += expired.length;
    }
    return count;
  }

  private venues(): string[] {
    return this.brokers
      .manifests()
      .filter((m) => m.has.marketHours)
      .map((m) => m.name);
  }
}
