// BC-S: order-update stream cards; fills are deduplicated by tradeId

import Decimal from 'decimal.js';
import type { OrderUpdate } from '../models';
import type { CardKit } from './card-kit';
import { refOf } from './card-kit';
import { assertValidOrderUpdate } from './model-checks';
import { waitFor } from './wait-for';

export function registerStreamCards(k: CardKit): void {
  const { h, manifest } = k;
  const noStream =
    (manifest.has.orderUpdates === false && 'has.orderUpdates is false') ||
    (!manifest.has.placeOrder && 'has.placeOrder is false');
  describe('order updates', () => {
    k.card(
      'BC-S01',
      'the same fill delivered twice reaches the subscriber once',
      noStream || (!h.redeliverLastUpdate && 'harness has no redeliverLastUpdate'),
      async () => {
        await k.withClient(async (client) => {
          const updates: OrderUpdate[] = [];
          const stop = client.subscribeOrderUpdates((u) => updates.push(u));
          try {
            await k.h.setMarketPrice(k.instrument, k.price(1));
            const id = k.newClientOrderId('s01');
            await client.placeOrder(k.marketBuy(id));
            const fillsOf = () => updates.filter((u) => u.kind === 'fill' && u.fill.clientOrderId === id);
            await waitFor(
              async () => fillsOf().length,
              (n) => n > 0,
              { timeoutMs: k.timeoutMs, what: 'a fill update' },
            );
            await k.settle();
            const before = fillsOf().length;
            await h.redeliverLastUpdate!();
            await k.settle();
            const fills = fillsOf();
            expect(fills).toHaveLength(before);
            const ids = fills.map((u) => (u.kind === 'fill' ? u.fill.tradeId : ''));
            expect(new Set(ids).size).toBe(ids.length);
          } finally {
            stop();
          }
        });
      },
    );

    k.card(
      'BC-S02',
      'a market order streams valid order and fill updates, then unsubscribe stops them',
      noStream,
      async () => {
        await k.withClient(async (client) => {
          const updates: OrderUpdate[] = [];
          const stop = client.subscribeOrderUpdates((u) => updates.push(u));
          await k.h.setMarketPrice(k.instrument, k.price(1));
          const id = k.newClientOrderId('s02');
          const placed = await client.placeOrder(k.marketBuy(id));
          await k.waitForStatus(client, refOf(placed), ['filled']);
          const mine = () =>
            updates.filter((u) => (u.kind === 'order' ? u.order.clientOrderId : u.fill.clientOrderId) === id);
          await waitFor(
            async () => mine(),
            (us) => us.some((u) => u.kind === 'order' && u.order.status === 'filled'),
            { timeoutMs: k.timeoutMs, what: 'a filled order update' },
          );
          mine().forEach(assertValidOrderUpdate);
          expect(mine().every((u) => u.tracked)).toBe(true);
          const filledQty = mine().reduce((s, u) => (u.kind === 'fill' ? s.plus(u.fill.quantity) : s), new Decimal(0));
          expect(filledQty.eq(placed.quantity)).toBe(true);

          stop();
          stop();
          const count = updates.length;
          const other = await client.placeOrder(k.marketBuy(k.newClientOrderId('s02b')));
          await k.waitForStatus(client, refOf(other), ['filled']);
          await k.settle();
          expect(updates).toHaveLength(count);
        });
      },
    );
  });
}
