// BC-O: order lifecycle cards (nautilus spec_exec_testing style: action -> expected states)

import Decimal from 'decimal.js';
import { DuplicateOrderError, isBrokerError, OrderNotFoundError, RejectedError } from '../errors';
import type { Order } from '../models';
import type { CardKit } from './card-kit';
import { refOf } from './card-kit';
import { assertValidFill, assertValidOrder } from './model-checks';
import { waitFor } from './wait-for';

async function expectRejected(p: Promise<unknown>, cls: typeof RejectedError = RejectedError): Promise<void> {
  const e = await p.then(
    (v) => {
      throw new Error(`expected ${cls.name}, call resolved with ${JSON.stringify(v)}`);
    },
    (err: unknown) => err,
  );
  expect(isBrokerError(e)).toBe(true);
  expect(e).toBeInstanceOf(cls);
  expect((e as RejectedError).retryable).toBe(false);
}

export function registerOrderCards(k: CardKit): void {
  const { manifest, instrument } = k;
  const has = manifest.has;
  const types = manifest.features.orderTypes;
  const noPlace = !has.placeOrder && 'has.placeOrder is false';
  const noGet = !has.getOrder && 'has.getOrder is false';

  describe('orders', () => {
    k.card(
      'BC-O01',
      'market buy fills in full',
      noPlace || noGet || (!types.includes('MARKET') && 'no MARKET orders'),
      async () => {
        await k.withClient(async (client) => {
          await k.h.setMarketPrice(instrument, k.price(1));
          const id = k.newClientOrderId('o01');
          const placed = assertValidOrder(await client.placeOrder(k.marketBuy(id)));
          expect(placed.clientOrderId).toBe(id);
          expect(['pending_submit', 'open', 'partially_filled', 'filled']).toContain(placed.status);
          const done = assertValidOrder(await k.waitForStatus(client, refOf(placed), ['filled']));
          expect(new Decimal(done.filledQuantity).eq(k.lots(1))).toBe(true);
          expect(new Decimal(done.averagePrice ?? '0').gt(0)).toBe(true);
          if (client.listFills) {
            const fills = (await client.listFills()).filter((f) => f.clientOrderId === id).map(assertValidFill);
            expect(fills.reduce((s, f) => s.plus(f.quantity), new Decimal(0)).eq(k.lots(1))).toBe(true);
            expect(new Set(fills.map((f) => f.tradeId)).size).toBe(fills.length);
          }
        });
      },
    );

    const noLimit = !types.includes('LIMIT') && 'no LIMIT orders';
    k.card(
      'BC-O02',
      'limit below the market rests, then cancels',
      noPlace || noGet || noLimit || (!has.cancelOrder && 'has.cancelOrder is false'),
      async () => {
        await k.withClient(async (client) => {
          await k.h.setMarketPrice(instrument, k.price(1));
          const placed = assertValidOrder(
            await client.placeOrder({
              ...k.marketBuy(k.newClientOrderId('o02')),
              type: 'LIMIT',
              price: k.price(0.9),
              referencePrice: undefined,
            }),
          );
          const open = await k.waitForStatus(client, refOf(placed), ['open']);
          expect(open.filledQuantity).toMatch(/^0(\.0+)?$/);
          const cancelled = assertValidOrder(await client.cancelOrder(refOf(open)));
          expect(['cancelled', 'open', 'pending_submit']).toContain(cancelled.status);
          const final = await k.waitForStatus(client, refOf(open), ['cancelled']);
          expect(new Decimal(final.filledQuantity).eq(0)).toBe(true);
          // A second cancel of a terminal order is refused, never silently "cancelled again"
          await expectRejected(client.cancelOrder(refOf(open)));
        });
      },
    );

    const m = manifest.features.modify;
    k.card(
      'BC-O03',
      'modify a resting limit (price, then quantity)',
      noPlace ||
        noLimit ||
        (!has.modifyOrder && 'has.modifyOrder is false') ||
        (!m.price && 'features.modify.price is false'),
      async () => {
        await k.withClient(async (client) => {
          await k.h.setMarketPrice(instrument, k.price(1));
          const placed = await client.placeOrder({
            ...k.marketBuy(k.newClientOrderId('o03')),
            type: 'LIMIT',
            price: k.price(0.9),
            referencePrice: undefined,
          });
          const ref = refOf(await k.waitForStatus(client, refOf(placed), ['open']));
          assertValidOrder(await client.modifyOrder(ref, { price: k.price(0.91) }));
          let o = await k.waitForStatus(client, ref, ['open']);
          await waitUntil(
            k,
            () => client.getOrder(ref),
            (x) => new Decimal(x.price ?? '0').eq(k.price(0.91)),
          );
          if (m.quantity) {
            assertValidOrder(await client.modifyOrder(ref, { quantity: k.lots(2) }));
            o = await waitUntil(
              k,
              () => client.getOrder(ref),
              (x) => new Decimal(x.quantity).eq(k.lots(2)),
            );
            expect(o.status).toBe('open');
          }
          if (has.cancelOrder) await client.cancelOrder(ref);
        });
      },
    );

    k.card('BC-O04', 'invalid order is refused with a RejectedError', noPlace, async () => {
      await k.withClient(async (client) => {
        await k.h.setMarketPrice(instrument, k.price(1));
        await expectRejected(client.placeOrder({ ...k.marketBuy(k.newClientOrderId('o04a')), quantity: '0' }));
        if (types.includes('LIMIT')) {
          await expectRejected(
            client.placeOrder({ ...k.marketBuy(k.newClientOrderId('o04b')), type: 'LIMIT', referencePrice: undefined }),
          );
        }
      });
    });

    k.card('BC-O05', 'resting limit fills when the market crosses it', noPlace || noGet || noLimit, async () => {
      await k.withClient(async (client) => {
        await k.h.setMarketPrice(instrument, k.price(1));
        const limit = k.price(0.98);
        const placed = await client.placeOrder({
          ...k.marketBuy(k.newClientOrderId('o05')),
          type: 'LIMIT',
          price: limit,
          referencePrice: undefined,
        });
        await k.waitForStatus(client, refOf(placed), ['open']);
        await k.h.setMarketPrice(instrument, k.price(0.97));
        const filled = assertValidOrder(await k.waitForStatus(client, refOf(placed), ['filled']));
        // A buy limit never fills above its limit
        expect(new Decimal(filled.averagePrice ?? '0').lte(limit)).toBe(true);
      });
    });

    k.card(
      'BC-O06',
      'stop-loss market sell triggers when the price falls through the trigger',
      noPlace || noGet || (!types.includes('SL-M') && 'no SL-M orders'),
      async () => {
        await k.withClient(async (client) => {
          await k.h.setMarketPrice(instrument, k.price(1));
          const placed = await client.placeOrder({
            ...k.marketBuy(k.newClientOrderId('o06')),
            side: 'SELL',
            type: 'SL-M',
            triggerPrice: k.price(0.95),
            referencePrice: undefined,
          });
          await k.waitForStatus(client, refOf(placed), ['open']);
          await k.h.setMarketPrice(instrument, k.price(0.94));
          const filled = assertValidOrder(await k.waitForStatus(client, refOf(placed), ['filled']));
          expect(new Decimal(filled.averagePrice ?? '0').gt(0)).toBe(true);
        });
      },
    );

    k.card('BC-O07', 'unknown clientOrderId -> OrderNotFoundError', noGet, async () => {
      await k.withClient(async (client) => {
        await expectRejected(client.getOrder({ clientOrderId: k.newClientOrderId('nope') }), OrderNotFoundError);
      });
    });

    k.card(
      'BC-O08',
      'listOrders returns the placed order',
      noPlace || (!has.listOrders && 'has.listOrders is false') || noLimit,
      async () => {
        await k.withClient(async (client) => {
          await k.h.setMarketPrice(instrument, k.price(1));
          const id = k.newClientOrderId('o08');
          await client.placeOrder({
            ...k.marketBuy(id),
            type: 'LIMIT',
            price: k.price(0.9),
            referencePrice: undefined,
          });
          const orders = (await client.listOrders()).map(assertValidOrder);
          expect(orders.filter((o) => o.clientOrderId === id)).toHaveLength(1);
          if (has.cancelOrder) await client.cancelOrder({ clientOrderId: id });
        });
      },
    );

    k.card(
      'BC-O09',
      'a reused clientOrderId never creates a second order',
      noPlace || (!has.listOrders && 'has.listOrders is false'),
      async () => {
        await k.withClient(async (client) => {
          await k.h.setMarketPrice(instrument, k.price(1));
          const id = k.newClientOrderId('o09');
          const first = await client.placeOrder(k.marketBuy(id));
          const second = await client.placeOrder(k.marketBuy(id)).then(
            (o) => o,
            (e: unknown) => {
              expect(e).toBeInstanceOf(DuplicateOrderError);
              return null;
            },
          );
          if (second) expect(second.brokerOrderId).toBe(first.brokerOrderId);
          const orders = await client.listOrders();
          expect(orders.filter((o) => o.clientOrderId === id)).toHaveLength(1);
        });
      },
    );
  });
}

function waitUntil(k: CardKit, probe: () => Promise<Order>, accept: (o: Order) => boolean): Promise<Order> {
  return waitFor(probe, accept, { timeoutMs: k.timeoutMs, what: 'order change' });
}
