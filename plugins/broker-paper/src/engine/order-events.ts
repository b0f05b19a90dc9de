// In-process fan-out of order/fill updates per account, after the transaction committed

import { EventEmitter } from 'node:events';
import type { OrderUpdate, OrderUpdateHandler } from '@algodatta/broker-sdk';

export class OrderEvents {
  private readonly emitter = new EventEmitter();
  private readonly last = new Map<string, OrderUpdate>();

  constructor(private readonly onHandlerError: (error: unknown) => void) {
    // One listener per subscribed client; thousands of strategies are normal
    this.emitter.setMaxListeners(0);
  }

  publish(accountId: string, updates: OrderUpdate[]): void {
    for (const u of updates) {
      this.last.set(accountId, u);
      this.emitter.emit(accountId, u);
    }
  }

  subscribe(accountId: string, handler: OrderUpdateHandler): () => void {
    const safe = (u: OrderUpdate) => {
      try {
        handler(u);
      } catch (e) {
        // A subscriber's bug must not break order processing for other accounts
        this.onHandlerError(e);
      }
    };
    this.emitter.on(accountId, safe);
    return () => this.emitter.off(accountId, safe);
  }

  /** Re-sends the account's most recent update, as a broker does after a reconnect. */
  redeliverLast(accountId: string): void {
    const u = this.last.get(accountId);
    if (u) this.emitter.emit(accountId, u);
  }
}
