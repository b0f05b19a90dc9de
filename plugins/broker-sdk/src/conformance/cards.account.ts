// BC-A / BC-I: account reads and instrument lookup

import Decimal from 'decimal.js';
import type { BrokerClient } from '../client';
import type { CardKit } from './card-kit';
import { refOf } from './card-kit';
import {
  assertValidFunds,
  assertValidHolding,
  assertValidInstrument,
  assertValidPosition,
  assertValidProfile,
} from './model-checks';

async function netQuantity(k: CardKit, client: BrokerClient, product: string): Promise<Decimal> {
  const positions = (await client.positions()).map(assertValidPosition);
  return positions
    .filter(
      (p) =>
        p.instrument.symbol === k.instrument.symbol &&
        p.instrument.exchangeSegment === k.instrument.exchangeSegment &&
        p.product === product,
    )
    .reduce((s, p) => s.plus(p.netQuantity), new Decimal(0));
}

export function registerAccountCards(k: CardKit): void {
  const has = k.manifest.has;
  describe('account', () => {
    k.card(
      'BC-A01',
      'a filled buy raises the position by its quantity',
      (!has.positions && 'has.positions is false') ||
        (!has.placeOrder && 'has.placeOrder is false') ||
        (!has.getOrder && 'has.getOrder is false'),
      async () => {
        await k.withClient(async (client) => {
          await k.h.setMarketPrice(k.instrument, k.price(1));
          const req = k.marketBuy(k.newClientOrderId('a01'));
          const before = await netQuantity(k, client, req.product);
          const placed = await client.placeOrder(req);
          await k.waitForStatus(client, refOf(placed), ['filled']);
          const after = await netQuantity(k, client, req.product);
          expect(after.minus(before).eq(req.quantity)).toBe(true);
        });
      },
    );
    k.card('BC-A02', 'funds are well-formed', !has.funds && 'has.funds is false', async () => {
      await k.withClient(async (client) => {
        const f = assertValidFunds(await client.funds());
        expect(f.accountId).toBe(client.accountId);
      });
    });
    k.card('BC-A03', 'profile is well-formed', !has.profile && 'has.profile is false', async () => {
      await k.withClient(async (client) => {
        const p = assertValidProfile(await client.profile());
        expect(p.broker).toBe(k.manifest.name);
      });
    });
    k.card('BC-A04', 'holdings are well-formed', !has.holdings && 'has.holdings is false', async () => {
      await k.withClient(async (client) => {
        (await client.holdings()).forEach(assertValidHolding);
      });
    });
  });

  describe('instruments', () => {
    k.card(
      'BC-I01',
      'search and get the harness instrument',
      !has.searchInstruments && 'has.searchInstruments is false',
      async () => {
        await k.withClient(async (client) => {
          const found = (await client.searchInstruments({ text: k.instrument.symbol })).map(assertValidInstrument);
          expect(
            found.some((i) => i.symbol === k.instrument.symbol && i.exchangeSegment === k.instrument.exchangeSegment),
          ).toBe(true);
          const one = await client.getInstrument({
            symbol: k.instrument.symbol,
            exchangeSegment: k.instrument.exchangeSegment,
          });
          expect(one).not.toBeNull();
          const spec = assertValidInstrument(one);
          expect(new Decimal(spec.lotSize).eq(k.instrument.lotSize)).toBe(true);
          expect(
            await client.getInstrument({ symbol: 'NO-SUCH-SYMBOL-XYZ', exchangeSegment: k.instrument.exchangeSegment }),
          ).toBeNull();
        });
      },
    );
  });
}
