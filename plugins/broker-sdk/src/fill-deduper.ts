// Brokers re-send fills (reconnect snapshots, duplicate postbacks); a subscriber must see each tradeId once

import type { OrderUpdate, OrderUpdateHandler } from './models';

/**
 * Wraps a handler so each fill tradeId passes once; order updates always pass.
 * @example
 * const deliver = createFillDeduper(onUpdate);
 * socket.on('message', (m) => deliver(parseUpdate(m)));
 */
export function createFillDeduper(onUpdate: OrderUpdateHandler, maxRemembered = 100_000): OrderUpdateHandler {
  const seen = new Set<string>();
  return (update: OrderUpdate) => {
    if (update.kind === 'fill') {
      const key = update.fill.tradeId;
      if (seen.has(key)) return;
      seen.add(key);
      // Bounded memory for long-lived subscriptions: forget the oldest ids first
      if (seen.size > maxRemembered) {
        const oldest = seen.values().next().value;
        if (oldest !== undefined) seen.delete(oldest);
      }
    }
    onUpdate(update);
  };
}
