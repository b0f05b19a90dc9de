// BC-C: optional capabilities (issues 18 and 20). Each card is skipped unless the manifest declares its capability.

import Decimal from 'decimal.js';
import { hasCapability } from '../client';
import type { BrokerClient, Capability } from '../client';
import { bracketOrderSchema } from '../bracket-order.models';
import type { BracketOrder } from '../bracket-order.models';
import { killSwitchStateSchema, pnlExitStateSchema, staticIpInfoSchema } from '../account-controls.models';
import { isTerminalStatus } from '../enums';
import { AuthError, InvalidOrderError, KillSwitchActiveError, RejectedError } from '../errors';
import { acceptsStopMarket } from '../manifest';
import type { Tick } from '../market-data.models';
import { tickSchema } from '../market-data.models';
import { sessionInfoSchema, sessionTokenSchema } from '../session.models';
import type { CardKit } from './card-kit';
import { assertValidOrder } from './model-checks';
import { waitFor } from './wait-for';

const need = (k: CardKit, cap: Capability) => !hasCapability(k.manifest.has, cap) && `has.${cap} is not declared`;

// The kill switch needs a flat account: cancel what rests, close what is open (at the harness's market price)
async function flatten(k: CardKit, client: BrokerClient): Promise<void> {
  for (const o of await client.listOrders()) {
    if (!isTerminalStatus(o.status))
      await client
        .cancelOrder({ clientOrderId: o.clientOrderId, brokerOrderId: o.brokerOrderId })
        .catch(() => undefined);
  }
  await k.h.setMarketPrice(k.instrument, k.price(1));
  for (const p of await client.positions()) {
    const net = new Decimal(p.netQuantity);
    if (net.isZero()) continue;
    const closing = await client.placeOrder({
      clientOrderId: k.newClientOrderId('flat'),
      instrument: { ...k.instrument, ...p.instrument },
      side: net.gt(0) ? 'SELL' : 'BUY',
      type: 'MARKET',
      product: p.product,
      quantity: net.abs().toFixed(),
      referencePrice: k.price(1),
    });
    await k.waitForStatus(client, { clientOrderId: closing.clientOrderId, brokerOrderId: closing.brokerOrderId }, [
      'filled',
    ]);
  }
}

async function bracketUntil(
  k: CardKit,
  client: BrokerClient,
  b: BracketOrder,
  statuses: BracketOrder['status'][],
): Promise<BracketOrder> {
  return waitFor(
    () => client.getBracketOrder!({ clientOrderId: b.clientOrderId, brokerOrderId: b.brokerOrderId }),
    (x) => statuses.includes(x.status) || ['cancelled', 'rejected', 'expired'].includes(x.status),
    { timeoutMs: k.timeoutMs, what: `bracket ${b.clientOrderId} to reach ${statuses.join('|')}` },
  );
}

export function registerCapabilityCards(k: CardKit): void {
  const { h, manifest } = k;
  describe('capabilities', () => {
    k.card('BC-C01', 'sessionExpiry is well-formed and in the future', need(k, 'session.expiry'), async () => {
      await k.withClient(async (client) => {
        const s = sessionInfoSchema.parse(await client.sessionExpiry!());
        if (s.expiresAt !== undefined) expect(s.expiresAt).toBeGreaterThan(Date.now());
      });
    });

    k.card(
      'BC-C02',
      'renewSession returns a new token that the client goes on working with',
      need(k, 'session.renew') || (!h.createSessionClient && 'harness has no createSessionClient'),
      async () => {
        const client = await h.createSessionClient!();
        try {
          const token = sessionTokenSchema.parse(await client.renewSession!());
          expect(token.via).toBe('renew');
          expect(JSON.stringify(token.raw)).not.toContain(token.accessToken);
          await client.listOrders();
        } finally {
          await client.close();
        }
      },
    );

    k.card(
      'BC-C03',
      'loginSession with PIN + TOTP gives a working token; a wrong PIN is AuthError',
      need(k, 'session.login') ||
        (!h.createSessionClient && 'harness has no createSessionClient') ||
        (!h.loginSecrets && 'harness has no loginSecrets'),
      async () => {
        const client = await h.createSessionClient!();
        try {
          const e = await client.loginSession!({ ...h.loginSecrets!, pin: `${h.loginSecrets!.pin}9` }).then(
            () => null,
            (x: unknown) => x,
          );
          expect(e).toBeInstanceOf(AuthError);
          expect(String((e as Error).message)).not.toContain(h.loginSecrets!.totpSecret);
          const token = sessionTokenSchema.parse(await client.loginSession!(h.loginSecrets!));
          expect(token.via).toBe('login');
          await client.listOrders();
        } finally {
          await client.close();
        }
      },
    );

    k.card('BC-C04', 'getStaticIp is well-formed', need(k, 'staticIp'), async () => {
      await k.withClient(async (client) => {
        const ip = staticIpInfoSchema.parse(await client.getStaticIp!());
        expect(ip.accountId).toBe(client.accountId);
      });
    });

    k.card(
      'BC-C05',
      'kill switch: on -> orders refused with KillSwitchActiveError -> off -> orders work',
      need(k, 'killSwitch') || (!manifest.has.placeOrder && 'has.placeOrder is false'),
      async () => {
        await k.withClient(async (client) => {
          await flatten(k, client);
          try {
            expect(killSwitchStateSchema.parse(await client.setKillSwitch!(true)).active).toBe(true);
            expect((await client.getKillSwitch!()).active).toBe(true);
            const e = await client.placeOrder(k.marketBuy(k.newClientOrderId('c05'))).then(
              () => null,
              (x: unknown) => x,
            );
            expect(e).toBeInstanceOf(KillSwitchActiveError);
            expect(e).toBeInstanceOf(RejectedError);
          } finally {
            await client.setKillSwitch!(false);
          }
          expect((await client.getKillSwitch!()).active).toBe(false);
          const placed = await client.placeOrder(k.marketBuy(k.newClientOrderId('c05b')));
          await k.waitForStatus(client, { clientOrderId: placed.clientOrderId, brokerOrderId: placed.brokerOrderId }, [
            'filled',
          ]);
        });
      },
    );

    k.card('BC-C06', 'P&L exit: set, read back, stop', need(k, 'pnlExit'), async () => {
      await k.withClient(async (client) => {
        const products = manifest.features.products.filter((p) => p === 'INTRADAY').slice(0, 1);
        const set = pnlExitStateSchema.parse(
          await client.setPnlExit!({
            profit: '100000000',
            loss: '100000000',
            products: products.length ? products : [manifest.features.products[0]],
          }),
        );
        expect(set.active).toBe(true);
        try {
          const read = await client.getPnlExit!();
          expect(read).not.toBeNull();
          const r = pnlExitStateSchema.parse(read);
          expect(new Decimal(r.profit ?? '0').eq('100000000')).toBe(true);
          expect(new Decimal(r.loss ?? '0').eq('100000000')).toBe(true);
        } finally {
          await client.stopPnlExit!();
        }
        expect(await client.getPnlExit!()).toBeNull();
        await expect(client.setPnlExit!({ products: ['INTRADAY'] })).rejects.toBeInstanceOf(RejectedError);
      });
    });

    k.card(
      'BC-C07',
      'bracket: entry fills, the target fills, the stop-loss is cancelled (OCO)',
      need(k, 'bracketOrders'),
      async () => {
        await k.withClient(async (client) => {
          await k.h.setMarketPrice(k.instrument, k.price(1));
          const placed = bracketOrderSchema.parse(
            await client.placeBracketOrder!({
              clientOrderId: k.newClientOrderId('c07'),
              instrument: k.instrument,
              side: 'BUY',
              type: 'LIMIT',
              product: 'INTRADAY',
              quantity: k.lots(1),
              price: k.price(1),
              targetPrice: k.price(1.1),
              stopLossPrice: k.price(0.9),
            }),
          );
          expect(placed.legs.map((l) => l.leg).sort()).toEqual(['entry', 'stopLoss', 'target']);
          await bracketUntil(k, client, placed, ['active']);
          await k.h.setMarketPrice(k.instrument, k.price(1.1));
          const done = bracketOrderSchema.parse(await bracketUntil(k, client, placed, ['closed']));
          expect(done.status).toBe('closed');
          expect(done.legs.find((l) => l.leg === 'target')?.status).toBe('filled');
          expect(done.legs.find((l) => l.leg === 'stopLoss')?.status).toBe('cancelled');
          await k.h.setMarketPrice(k.instrument, k.price(1));
        });
      },
    );

    k.card('BC-C08', 'bracket: cancelling the entry cancels the whole bracket', need(k, 'bracketOrders'), async () => {
      await k.withClient(async (client) => {
        await k.h.setMarketPrice(k.instrument, k.price(1));
        const placed = await client.placeBracketOrder!({
          clientOrderId: k.newClientOrderId('c08'),
          instrument: k.instrument,
          side: 'BUY',
          type: 'LIMIT',
          product: 'INTRADAY',
          quantity: k.lots(1),
          price: k.price(0.8),
          targetPrice: k.price(0.9),
          stopLossPrice: k.price(0.7),
        });
        await bracketUntil(k, client, placed, ['open']);
        const cancelled = await client.cancelBracketOrder!(
          { clientOrderId: placed.clientOrderId, brokerOrderId: placed.brokerOrderId },
          'entry',
        );
        const final =
          cancelled.status === 'cancelled' ? cancelled : await bracketUntil(k, client, placed, ['cancelled']);
        expect(final.status).toBe('cancelled');
      });
    });

    k.card(
      'BC-C09',
      'placeSlicedOrder splits a quantity above the freeze limit into legs of one clientOrderId',
      need(k, 'sliceOrders') || (!h.sliceOrder && 'harness has no sliceOrder'),
      async () => {
        await k.withClient(async (client) => {
          const { instrument, quantity } = h.sliceOrder!;
          const id = k.newClientOrderId('c09');
          const legs = (
            await client.placeSlicedOrder!({
              clientOrderId: id,
              instrument,
              side: 'BUY',
              type: 'LIMIT',
              product: 'INTRADAY',
              quantity,
              price: new Decimal(k.price(0.5)).toFixed(),
            })
          ).map(assertValidOrder);
          expect(legs.length).toBeGreaterThan(1);
          expect(legs.every((l) => l.clientOrderId === id)).toBe(true);
          expect(new Set(legs.map((l) => l.brokerOrderId)).size).toBe(legs.length);
          expect(legs.reduce((s, l) => s.plus(l.quantity), new Decimal(0)).eq(quantity)).toBe(true);
          for (const l of legs)
            await client
              .cancelOrder({ clientOrderId: l.clientOrderId, brokerOrderId: l.brokerOrderId })
              .catch(() => undefined);
        });
      },
    );

    k.card(
      'BC-C10',
      'subscribeQuotes delivers ticks of a price change; unsubscribe stops them',
      need(k, 'marketData'),
      async () => {
        await k.withClient(async (client) => {
          const ticks: Tick[] = [];
          const errors: Error[] = [];
          const stop = client.subscribeQuotes!([k.instrument], (t) => ticks.push(t), {
            onError: (e) => errors.push(e),
          });
          try {
            const target = k.price(1.05);
            await k.h.setMarketPrice(k.instrument, target);
            await waitFor(
              async () => ticks.filter((t) => new Decimal(t.lastPrice).eq(target)).length,
              (n) => n > 0,
              { timeoutMs: k.timeoutMs, what: `a tick at ${target}` },
            );
            ticks.forEach((t) => tickSchema.parse(t));
            expect(ticks.every((t) => t.instrument.exchangeSegment === k.instrument.exchangeSegment)).toBe(true);
          } finally {
            stop();
            stop();
          }
          const count = ticks.length;
          await k.h.setMarketPrice(k.instrument, k.price(1.06));
          await k.settle();
          expect(ticks).toHaveLength(count);
          await k.h.setMarketPrice(k.instrument, k.price(1));
        });
      },
    );

    const slmRefused = manifest.features.segments.find((s) => !acceptsStopMarket(manifest.features, s));
    k.card(
      'BC-C11',
      'SL-M on a segment outside features.stopMarketSegments -> InvalidOrderError before sending',
      (!manifest.features.orderTypes.includes('SL-M') && 'SL-M is not supported') ||
        (!slmRefused && 'SL-M is accepted on every segment'),
      async () => {
        await k.withClient(async (client) => {
          const e = await client
            .placeOrder({
              clientOrderId: k.newClientOrderId('c11'),
              instrument: { ...k.instrument, exchangeSegment: slmRefused! },
              side: 'SELL',
              type: 'SL-M',
              product: 'INTRADAY',
              quantity: k.lots(1),
              triggerPrice: k.price(0.9),
            })
            .then(
              () => null,
              (x: unknown) => x,
            );
          expect(e).toBeInstanceOf(InvalidOrderError);
        });
      },
    );
  });
}
