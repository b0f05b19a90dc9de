// defineBroker: the one thing a plugin module exports (default export and named `plugin`)

import type { z } from 'zod';
import type { BrokerClient, BrokerContext } from './client';
import type { InstrumentMaster } from './instrument-master.models';
import type { BrokerManifestInput } from './manifest';
import type { MarketHours } from './market-hours.models';
import type { WebhookParse, WebhookRequest } from './webhook.models';

export const BROKER_PLUGIN_MARKER = '@algodatta/broker-plugin';

/**
 * A broker plugin definition.
 * - `manifest`: identity and capabilities (validated by the loader).
 * - `optionsSchema`: zod schema for the deployment options (e.g. base URL); parsed at load. The host reads them from
 *   BROKER_<NAME>_<OPTION> variables (see `optionEnvName`) and BROKER_PLUGIN_OPTIONS; `.describe()` each option,
 *   the host's .env.example prints the descriptions.
 * - `create(ctx, options)`: builds a client for one account. May be async.
 * - The optional plugin-level hooks below, each promised by a `has` flag the loader checks.
 */
export type BrokerPluginDefinition<Options = unknown> = {
  manifest: BrokerManifestInput;
  optionsSchema: z.ZodType<Options>;
  create(ctx: BrokerContext, options: Options): BrokerClient | Promise<BrokerClient>;
  /**
   * has.webhooks: which order a broker postback is about (the host then reads that order back from the broker).
   * Pure and fast: no network, never throws; a malformed body is `{ ok: false, problems }`.
   */
  parseWebhook?(request: WebhookRequest, options: Options): WebhookParse;
  /** has.instrumentMaster: the broker's instrument master (download, refresh schedule, ticker resolution). */
  instruments?(options: Options): InstrumentMaster;
  /** has.marketHours: the exchange calendar a simulated venue keeps, and whether it refuses orders outside it. */
  marketHours?(options: Options): MarketHours;
  /**
   * Environment variables that set an option before BROKER_<NAME>_<OPTION> existed, e.g. `{ DHAN_BASE_URL: 'baseUrl' }`.
   * They keep working; the host warns that they are deprecated.
   */
  envAliases?: Readonly<Record<string, string>>;
};

export type BrokerPlugin<Options = unknown> = Readonly<BrokerPluginDefinition<Options>> & {
  readonly kind: typeof BROKER_PLUGIN_MARKER;
};

/**
 * Declares a broker plugin. Export the result as default and as `plugin`.
 *
 * @example
 * import { defineBroker, CONTRACT_VERSION } from '@algodatta/broker-sdk';
 * import { z } from 'zod';
 *
 * export const plugin = defineBroker({
 *   manifest: {
 *     name: 'acme', displayName: 'Acme Securities', version: '1.0.0', contractVersion: CONTRACT_VERSION,
 *     requiredCredentials: ['apiKey'],
 *     has: { placeOrder: true, cancelOrder: true, modifyOrder: false, getOrder: true, listOrders: true,
 *            positions: true, holdings: false, funds: true, profile: true, searchInstruments: false,
 *            orderUpdates: 'poll' },
 *     features: { orderTypes: ['MARKET', 'LIMIT'], validities: ['DAY'], products: ['INTRADAY'],
 *                 segments: ['NSE_EQ'], modify: { price: false, quantity: false, trigger: false } },
 *   },
 *   optionsSchema: z.object({ baseUrl: z.string().url().default('https://api.acme.example') }),
 *   create: (ctx, options) => new AcmeClient(ctx, options),
 * });
 * export default plugin;
 */
export function defineBroker<Options>(definition: BrokerPluginDefinition<Options>): BrokerPlugin<Options> {
  return Object.freeze({ ...definition, kind: BROKER_PLUGIN_MARKER });
}
