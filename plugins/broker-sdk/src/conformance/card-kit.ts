// Shared plumbing for the conformance cards: client lifecycle, prices, ids, skip rules

import Decimal from 'decimal.js';
import type { BrokerClient } from '../client';
import type { BrokerManifest } from '../manifest';
import type { Instrument, Order, OrderRef, OrderRequest } from '../models';
import { isTerminalStatus } from '../enums';
import type { BrokerConformanceHarness } from './harness.types';
import { pause, waitFor } from './wait-for';

export type CardKit = {
  h: BrokerConformanceHarness;
  manifest: BrokerManifest;
  instrument: Instrument;
  timeoutMs: number;
  /** `it` or `it.skip` with the reason in the title. */
  card(id: string, title: string, skipReason: string | false, fn: () => Promise<void>): void;
  withClient<T>(fn: (client: BrokerClient) => Promise<T>): Promise<T>;
  /** basePrice * factor, rounded to the instrument tick. */
  price(factor: number | string): string;
  lots(n: number): string;
  newClientOrderId(prefix: string): string;
  settle(): Promise<void>;
  waitForStatus(client: BrokerClient, ref: OrderRef, statuses: Order['status'][]): Promise<Order>;
  marketBuy(clientOrderId: string, quantity?: string): OrderRequest;
};

let seq = 0;

export function makeCardKit(h: BrokerConformanceHarness, manifest: BrokerManifest): CardKit {
  const timeoutMs = h.timeoutMs ?? 5000;
  const instrument = h.instrument;
  const base = new Decimal(h.basePrice ?? '100');
  const tick = new Decimal(instrument.tickSize);
  const lot = new Decimal(instrument.lotSize);
  const run = Date.now().toString(36).slice(-5);

  const kit: CardKit = {
    h,
    manifest,
    instrument,
    timeoutMs,
    card(id, title, skipReason, fn) {
      const explicit = h.skip?.[id];
      const reason = explicit ?? skipReason;
      if (reason) it.skip(`${id} ${title} (skipped: ${reason})`, () => undefined);
      else it(`${id} ${title}`, fn, timeoutMs * 4 + 5000);
    },
    async withClient(fn) {
      const client = await h.createClient();
      try {
        return await fn(client);
      } finally {
        await client.close();
      }
    },
    price(factor) {
      return base.mul(factor).div(tick).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).mul(tick).toFixed();
    },
    lots(n) {
      return lot.mul(n).toFixed();
    },
    newClientOrderId(prefix) {
      seq += 1;
      return `${prefix}-${run}-${seq}`.slice(0, 30);
    },
    settle: () => (h.settle ? h.settle() : pause(100)),
    waitForStatus(client, ref, statuses) {
      return waitFor(
        () => client.getOrder(ref),
        (o) => statuses.includes(o.status) || (isTerminalStatus(o.status) && !statuses.some(isTerminalStatus)),
        { timeoutMs, what: `order ${ref.clientOrderId} to reach ${statuses.join('|')}` },
      ).then((o) => {
        if (!statuses.includes(o.status))
          throw new Error(`order ${ref.clientOrderId} ended ${o.status}, expected ${statuses.join('|')}`);
        return o;
      });
    },
    marketBuy(clientOrderId, quantity) {
      return {
        clientOrderId,
        instrument,
        side: 'BUY',
        type: 'MARKET',
        product: manifest.features.products.includes('INTRADAY') ? 'INTRADAY' : manifest.features.products[0],
        quantity: quantity ?? kit.lots(1),
        referencePrice: kit.price(1),
      };
    },
  };
  return kit;
}

export function refOf(o: Order): OrderRef {
  return o.brokerOrderId
    ? { clientOrderId: o.clientOrderId, brokerOrderId: o.brokerOrderId }
    : { clientOrderId: o.clientOrderId };
}
