// runBrokerConformance: registers jest describe/it blocks for one plugin. Import from a test file:
//   import { runBrokerConformance } from '@algodatta/broker-sdk/conformance';

import { loadBrokerPlugin, missingClientMethods } from '../load-plugin';
import type { BrokerManifest } from '../manifest';
import { validateManifest } from '../manifest';
import { registerAccountCards } from './cards.account';
import { registerBoundaryCards } from './cards.boundary';
import { registerCapabilityCards } from './cards.capabilities';
import { registerErrorCards } from './cards.errors';
import { registerModelCards } from './cards.models';
import { registerOrderCards } from './cards.orders';
import { registerStreamCards } from './cards.stream';
import { makeCardKit } from './card-kit';
import type { BrokerConformanceOptions } from './harness.types';

export type { BrokerConformanceHarness, BrokerConformanceOptions, ConformanceCardId } from './harness.types';
export * from './model-checks';
export { waitFor, pause } from './wait-for';

/** Card ids and titles, for documentation and reports. */
export const CONFORMANCE_CARDS: Record<string, string> = {
  'BC-L01': 'plugin loads: manifest valid, contract version supported, client keeps every `has` promise',
  'BC-M01..05': 'model validators accept good and reject bad shapes',
  'BC-O01': 'market buy fills in full',
  'BC-O02': 'limit below the market rests, then cancels (second cancel refused)',
  'BC-O03': 'modify a resting limit (price, then quantity)',
  'BC-O04': 'invalid order (quantity 0, LIMIT without price) -> RejectedError',
  'BC-O05': 'resting limit fills when the market crosses it, never above the limit',
  'BC-O06': 'SL-M sell triggers when the price falls through the trigger',
  'BC-O07': 'unknown clientOrderId -> OrderNotFoundError',
  'BC-O08': 'listOrders returns the placed order',
  'BC-O09': 'a reused clientOrderId never creates a second order',
  'BC-A01': 'a filled buy raises the position by its quantity',
  'BC-A02': 'funds are well-formed',
  'BC-A03': 'profile is well-formed',
  'BC-A04': 'holdings are well-formed',
  'BC-I01': 'search and get the harness instrument; unknown -> null',
  'BC-E01': 'bad credentials -> AuthError (not retryable)',
  'BC-E05': 'throttling -> RateLimitError (retryable)',
  'BC-E06': 'methods the manifest does not promise throw NotSupportedError',
  'BC-S01': 'the same fill delivered twice reaches the subscriber once',
  'BC-S02': 'a market order streams valid order and fill updates; unsubscribe stops them',
  'BC-C01': 'has.session.expiry: sessionExpiry is well-formed and in the future',
  'BC-C02': 'has.session.renew: renewSession returns a new token the client keeps working with',
  'BC-C03': 'has.session.login: PIN + TOTP gives a working token; a wrong PIN is AuthError',
  'BC-C04': 'has.staticIp: getStaticIp is well-formed',
  'BC-C05': 'has.killSwitch: on -> orders refused with KillSwitchActiveError -> off -> orders work',
  'BC-C06': 'has.pnlExit: set, read back, stop',
  'BC-C07': 'has.bracketOrders: entry fills, target fills, stop-loss cancelled (OCO)',
  'BC-C08': 'has.bracketOrders: cancelling the entry cancels the bracket',
  'BC-C09': 'has.sliceOrders: a quantity above the freeze limit becomes legs of one clientOrderId',
  'BC-C10': 'has.marketData: subscribeQuotes delivers ticks; unsubscribe stops them',
  'BC-C11': 'features.stopMarketSegments: SL-M elsewhere -> InvalidOrderError before sending',
  'BC-W01': 'has.webhooks: parseWebhook names the order of its postback',
  'BC-W02': 'has.webhooks: a malformed postback is problems, never a throw',
  'BC-I02': 'has.instrumentMaster: the master downloads valid instruments, unique per segment and security id',
  'BC-I03': "has.instrumentMaster: resolve picks the harness's contracts and refuses an unknown ticker",
  'BC-H01':
    'has.marketHours: the calendar answers for every segment; square-off times and session ends are well-formed',
  'BC-H02': 'has.marketHours: expireDayOrders expires a resting DAY order once its session has ended',
  'BC-F01': 'has.fillsOnPlacement: a MARKET order with a referencePrice comes back filled from placeOrder',
  'BC-F02': 'has.batchPlacement: placeOrders places MARKET orders in order, one order each in that order',
};

function manifestOf(plugin: unknown): BrokerManifest {
  const v = validateManifest(
    (plugin as { manifest?: unknown })?.manifest ??
      (plugin as { default?: { manifest?: unknown } })?.default?.manifest ??
      (plugin as { plugin?: { manifest?: unknown } })?.plugin?.manifest,
  );
  if (!v.ok) throw new Error(`conformance: invalid manifest: ${v.problems.join('; ')}`);
  return v.manifest;
}

/**
 * Registers the whole conformance suite as jest blocks. Cards the manifest (or `harness.skip`) rules out
 * are registered as skipped with the reason in their title.
 *
 * @example
 * // plugins/broker-acme/test/conformance.test.ts
 * import { runBrokerConformance } from '@algodatta/broker-sdk/conformance';
 * runBrokerConformance({ harness: { plugin: require('../src'), instrument, createClient, setMarketPrice } });
 */
export function runBrokerConformance(options: BrokerConformanceOptions): void {
  const { harness: h } = options;
  const manifest = manifestOf(h.plugin);
  const kit = makeCardKit(h, manifest);

  describe(`broker conformance: ${options.name ?? manifest.name}`, () => {
    afterAll(async () => {
      await h.teardown?.();
    });

    describe('loading', () => {
      kit.card('BC-L01', 'plugin loads and its client keeps every `has` promise', false, async () => {
        const loaded = loadBrokerPlugin(h.plugin, h.pluginOptions ?? {});
        expect(loaded.manifest.name).toBe(manifest.name);
        await kit.withClient(async (client) => {
          expect(missingClientMethods(manifest, client)).toEqual([]);
          expect(client.broker).toBe(manifest.name);
        });
      });
    });

    registerModelCards();
    registerOrderCards(kit);
    registerAccountCards(kit);
    registerErrorCards(kit);
    registerStreamCards(kit);
    registerCapabilityCards(kit);
    registerBoundaryCards(kit);
  });
}
