// defineBroker: the one thing a plugin module exports (default export and named `plugin`)

import type { z } from 'zod';
import type { BrokerClient, BrokerContext } from './client';
import type { BrokerManifestInput } from './manifest';

export const BROKER_PLUGIN_MARKER = '@algodatta/broker-plugin';

/**
 * A broker plugin definition.
 * - `manifest`: identity and capabilities (validated by the loader).
 * - `optionsSchema`: zod schema for the deployment options (e.g. base URL, database URL); parsed at load.
 * - `create(ctx, options)`: builds a client for one account. May be async.
 */
export type BrokerPluginDefinition<Options = unknown> = {
  manifest: BrokerManifestInput;
  optionsSchema: z.ZodType<Options>;
  create(ctx: BrokerContext, options: Options): BrokerClient | Promise<BrokerClient>;
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
