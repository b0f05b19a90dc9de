// BC-W, BC-I02/03, BC-H, BC-F: the plugin-level capabilities the host relies on (issue 13). Each card is skipped unless
// the manifest declares its capability (or the harness lacks what the card needs).

import Decimal from 'decimal.js';
import { istDate, istInstant } from '../calendar/ist-time';
import type { ExchangeSegment } from '../enums';
import { findInstruments } from '../instrument-master.models';
import type { MasterInstrument } from '../instrument-master.models';
import type { LoadedBrokerPlugin } from '../load-plugin';
import { loadBrokerPlugin } from '../load-plugin';
import { acceptsWebhooks } from '../manifest';
import type { CardKit } from './card-kit';
import { refOf } from './card-kit';
import { assertValidMasterInstrument, assertValidOrder } from './model-checks';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export function registerBoundaryCards(k: CardKit): void {
  const { h, manifest } = k;
  let loaded: LoadedBrokerPlugin | undefined;
  const plugin = () => (loaded ??= loadBrokerPlugin(h.plugin, h.pluginOptions ?? {}));
  let master: Promise<MasterInstrument[]> | undefined;
  const download = () => (master ??= plugin().instruments!.download({ fetch, signal: new AbortController().signal }));

  describe('plugin boundary', () => {
    const noWebhooks = !acceptsWebhooks(manifest.has) && 'has.webhooks is not declared';
    k.card(
      'BC-W01',
      'parseWebhook names the order of its postback',
      noWebhooks ||
        (!h.postbackFor && 'harness has no postbackFor') ||
        (!manifest.has.placeOrder && 'has.placeOrder is false'),
      async () => {
        await k.withClient(async (client) => {
          await k.h.setMarketPrice(k.instrument, k.price(1));
          const order = assertValidOrder(await client.placeOrder(k.marketBuy(k.newClientOrderId('w01'))));
          const parsed = plugin().parseWebhook!(h.postbackFor!(order));
          expect(parsed.ok).toBe(true);
          const ref = parsed.ok ? parsed.ref : null;
          expect(ref).not.toBeNull();
          expect(
            ref!.clientOrderId === order.clientOrderId ||
              (ref!.brokerOrderId !== undefined && ref!.brokerOrderId === order.brokerOrderId),
          ).toBe(true);
          if (ref!.clientOrderId !== undefined) expect(ref!.clientOrderId).toBe(order.clientOrderId);
          await k.waitForStatus(client, refOf(order), ['filled']);
        });
      },
    );

    k.card('BC-W02', 'parseWebhook answers problems for a malformed body and never throws', noWebhooks, async () => {
      for (const body of ['', '{', '[1,2]', 'null', '{"unexpected":true}', '\u0000']) {
        const parsed = plugin().parseWebhook!({ headers: {}, body });
        if (parsed.ok) expect(parsed.ref === null || typeof parsed.ref === 'object').toBe(true);
        else expect(parsed.problems.length).toBeGreaterThan(0);
      }
      for (const body of ['', '{', '[1,2]']) expect(plugin().parseWebhook!({ headers: {}, body }).ok).toBe(false);
    });

    const noMaster = !manifest.has.instrumentMaster && 'has.instrumentMaster is not declared';
    k.card(
      'BC-I02',
      'the instrument master downloads valid instruments, unique per segment and security id',
      noMaster,
      async () => {
        const rows = await download();
        expect(rows.length).toBeGreaterThan(0);
        rows.forEach(assertValidMasterInstrument);
        const keys = rows.map((r) => `${r.exchangeSegment}|${r.securityId}`);
        expect(new Set(keys).size).toBe(keys.length);
        expect(rows.every((r) => manifest.features.segments.includes(r.exchangeSegment))).toBe(true);
        expect(typeof plugin().instruments!.refreshCron).toBe('string');
      },
    );

    k.card(
      'BC-I03',
      "the instrument master resolves the harness's tickers and refuses an unknown one",
      noMaster || (!h.instrumentLookups?.length && 'harness has no instrumentLookups'),
      async () => {
        const rows = await download();
        const store = {
          now: h.instrumentsNow ?? Date.now(),
          find: async (keys: Parameters<typeof findInstruments>[1]) => findInstruments(rows, keys),
        };
        for (const { lookup, securityId } of h.instrumentLookups!) {
          const resolved = await plugin().instruments!.resolve(lookup, store);
          expect({ lookup, resolved: resolved.ok ? resolved.instrument.securityId : resolved }).toEqual({
            lookup,
            resolved: securityId,
          });
          if (resolved.ok) assertValidMasterInstrument(resolved.instrument);
        }
        const unknown = await plugin().instruments!.resolve(h.unknownSymbol ?? { symbol: 'NO-SUCH-SYMBOL-XYZ' }, store);
        expect(unknown).toMatchObject({ ok: false, reason: 'unknown_symbol', message: expect.any(String) });
      },
    );

    const noHours = !manifest.has.marketHours && 'has.marketHours is not declared';
    k.card(
      'BC-H01',
      'the market calendar answers for every segment; square-off times and session ends are well-formed',
      noHours,
      async () => {
        const { calendar, enforce } = plugin().marketHours!;
        expect(typeof enforce).toBe('boolean');
        const now = Date.now();
        for (const segment of manifest.features.segments) {
          const state = calendar.marketState(segment, now);
          expect(state.segment).toBe(segment);
          if (state.open) expect(state.closesAt).toBeGreaterThan(now);
          else expect(state.nextOpen).toBeGreaterThan(now);
          expect(calendar.sessionEnds[segment]).toMatch(HHMM);
        }
        for (const s of calendar.squareOffTimes) {
          expect(s.time).toMatch(HHMM);
          expect(s.segments.every((x: ExchangeSegment) => manifest.features.segments.includes(x))).toBe(true);
        }
      },
    );

    k.card(
      'BC-H02',
      'expireDayOrders expires a resting DAY order once its session has ended',
      noHours || (!manifest.features.orderTypes.includes('LIMIT') && 'no LIMIT orders'),
      async () => {
        await k.withClient(async (client) => {
          await k.h.setMarketPrice(k.instrument, k.price(1));
          const resting = await client.placeOrder({
            clientOrderId: k.newClientOrderId('h02'),
            instrument: k.instrument,
            side: 'BUY',
            type: 'LIMIT',
            product: 'INTRADAY',
            quantity: k.lots(1),
            price: k.price(0.5),
            timeInForce: 'DAY',
          });
          // Still working before its session ends (an order placed after the close belongs to a session already over)
          const end = istInstant(
            istDate(resting.createdAt),
            plugin().marketHours!.calendar.sessionEnds[k.instrument.exchangeSegment],
          );
          if (end > resting.createdAt) expect(await client.expireDayOrders!(end - 1)).toEqual([]);
          const expired = (await client.expireDayOrders!(resting.createdAt + 3 * 86_400_000)).map(assertValidOrder);
          expect(expired.find((o) => o.clientOrderId === resting.clientOrderId)?.status).toBe('expired');
          expect((await client.getOrder(refOf(resting))).status).toBe('expired');
        });
      },
    );

    k.card(
      'BC-F01',
      'a MARKET order with a referencePrice comes back filled from placeOrder',
      !manifest.has.fillsOnPlacement && 'has.fillsOnPlacement is not declared',
      async () => {
        await k.withClient(async (client) => {
          const filled = assertValidOrder(await client.placeOrder(k.marketBuy(k.newClientOrderId('f01'))));
          expect(filled.status).toBe('filled');
          expect(new Decimal(filled.filledQuantity).eq(filled.quantity)).toBe(true);
        });
      },
    );

    k.card(
      'BC-F02',
      'placeOrders places MARKET orders in the given order and answers one order each, in that order',
      !manifest.has.batchPlacement && 'has.batchPlacement is not declared',
      async () => {
        await k.withClient(async (client) => {
          const ids = [k.newClientOrderId('f02a'), k.newClientOrderId('f02b'), k.newClientOrderId('f02c')];
          const orders = (await client.placeOrders!(ids.map((id) => k.marketBuy(id)))).map(assertValidOrder);
          expect(orders.map((o) => o.clientOrderId)).toEqual(ids);
          for (const order of orders)
            expect((await client.getOrder(refOf(order))).clientOrderId).toBe(order.clientOrderId);
          if (manifest.has.fillsOnPlacement) for (const order of orders) expect(order.status).toBe('filled');
        });
      },
    );
  });
}
