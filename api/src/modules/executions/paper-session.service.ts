import type { PaperBrokerClient } from '@algodatta/broker-paper';
import { logger } from '../../shared/logger';
import { PAPER_BROKER } from '../brokers/broker-route';
import type { BrokerRegistry } from '../brokers/plugin-registry';
import type { OrderUpdatesService } from './order-updates.service';

// The paper exchange's session end: open DAY orders expire (the engine knows each segment's closing time),
// and their executions become CANCELLED through the normal update path.
export class PaperSessionService {
  constructor(private readonly brokers: BrokerRegistry, private readonly updates: OrderUpdatesService) {}

  async expireDayOrders(now: number = Date.now()): Promise<number> {
    const client = (await this.brokers.client(PAPER_BROKER, 'session-clock')) as PaperBrokerClient;
    const expired = await client.expireDayOrders(now, { allAccounts: true });
    for (const order of expired) await this.updates.applyOrder(order);
    if (expired.length) logger.info('paper DAY orders expired at session end', { count: expired.length });
    return expired.length;
  }
}
