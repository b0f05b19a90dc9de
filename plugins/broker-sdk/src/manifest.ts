// The manifest: what a plugin is (identity) and what it can do (`has` = methods, `features` = parameters)

import { z } from 'zod';
import { exchangeSegmentSchema, orderTypeSchema, productSchema, timeInForceSchema } from './enums';
import type { ExchangeSegment } from './enums';

/** The contract version this SDK implements. A plugin declares the version it was written against. */
export const CONTRACT_VERSION = 1;
/** Contract versions this SDK's loader accepts. */
export const SUPPORTED_CONTRACT_VERSIONS: readonly number[] = [1];

const SEMVER_RE = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

export const orderUpdatesModeSchema = z.union([z.enum(['stream', 'webhook', 'poll']), z.literal(false)]);
export type OrderUpdatesMode = z.infer<typeof orderUpdatesModeSchema>;

/** has.session: which parts of the token lifecycle the plugin handles (see SessionInfo / SessionToken). */
export const sessionHasSchema = z.object({
  // sessionExpiry(): when the access token stops working
  expiry: z.boolean().default(false),
  // renewSession(): extend a still-valid token without the user
  renew: z.boolean().default(false),
  // loginSession({ pin, totpSecret }): a new token without the user (opt-in automatic login)
  login: z.boolean().default(false),
});

export const marketDataModeSchema = z.union([z.literal('stream'), z.literal(false)]);

export const brokerHasSchema = z.object({
  placeOrder: z.boolean(),
  cancelOrder: z.boolean(),
  modifyOrder: z.boolean(),
  getOrder: z.boolean(),
  listOrders: z.boolean(),
  positions: z.boolean(),
  holdings: z.boolean(),
  funds: z.boolean(),
  profile: z.boolean(),
  // Covers searchInstruments and getInstrument
  searchInstruments: z.boolean(),
  // How order updates arrive: 'stream' (subscribeOrderUpdates pushes), 'webhook' (parseWebhook), 'poll', or none
  orderUpdates: orderUpdatesModeSchema,
  // Capabilities added with issue 18/20; all default to off so older manifests stay valid
  session: sessionHasSchema.prefault({}),
  // getStaticIp(): the IPs the broker accepts orders from
  staticIp: z.boolean().default(false),
  // getKillSwitch() / setKillSwitch(active): the broker's own kill switch
  killSwitch: z.boolean().default(false),
  // getPnlExit() / setPnlExit(rule) / stopPnlExit(): the broker's daily P&L exit
  pnlExit: z.boolean().default(false),
  // placeBracketOrder / getBracketOrder / modifyBracketOrder / cancelBracketOrder: native entry + target + stop-loss
  bracketOrders: z.boolean().default(false),
  // placeSlicedOrder(): the broker splits an order above the freeze limit into legs
  sliceOrders: z.boolean().default(false),
  // subscribeQuotes(instruments, onTick): live prices
  marketData: marketDataModeSchema.default(false),
  // Capabilities of the plugin boundary (issue 13), off by default as well
  // definition.parseWebhook: names the order of a broker postback (the host's /api/webhook/brokers/<name>/postback)
  webhooks: z.boolean().default(false),
  // definition.instruments(options): an instrument master the host stores, refreshes and resolves tickers against
  instrumentMaster: z.boolean().default(false),
  // A simulated venue: placeOrder fills a MARKET order at once, in this process, at its referencePrice (the alert's)
  fillsOnPlacement: z.boolean().default(false),
  // client.placeOrders(requests): several MARKET orders of one account and instrument placed in one call, in order,
  // as placeOrder would place them one after another (a simulated venue's backlog in one write; issue 13)
  batchPlacement: z.boolean().default(false),
  // A simulated venue that keeps exchange hours itself: definition.marketHours(options) and client.expireDayOrders
  marketHours: z.boolean().default(false),
});
export type BrokerHas = z.infer<typeof brokerHasSchema>;

export const brokerFeaturesSchema = z.object({
  orderTypes: z.array(orderTypeSchema).min(1),
  validities: z.array(timeInForceSchema).min(1),
  products: z.array(productSchema).min(1),
  segments: z.array(exchangeSegmentSchema).min(1),
  modify: z.object({ price: z.boolean(), quantity: z.boolean(), trigger: z.boolean() }),
  // Segments where SL-M is accepted as is. Under market price protection some brokers refuse SL-M; there the host
  // sends SL with a protection band instead. Absent: SL-M works wherever orderTypes allows it.
  stopMarketSegments: z.array(exchangeSegmentSchema).optional(),
});
export type BrokerFeatures = z.infer<typeof brokerFeaturesSchema>;

export const brokerManifestSchema = z.object({
  // Registry id, e.g. "paper", "dhan"
  name: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'name: lowercase letters, digits and dashes, 2-40 chars'),
  displayName: z.string().min(1),
  version: z.string().regex(SEMVER_RE, 'version must be semver, e.g. 1.2.3'),
  contractVersion: z.number().int().positive(),
  description: z.string().optional(),
  // True for a simulated broker (no real money): the host routes PAPER-mode strategies to it. At most one per host
  paper: z.boolean().default(false),
  // Names of the credentials ctx.credentials must hold, e.g. ["clientId", "accessToken"]
  requiredCredentials: z.array(z.string().min(1)),
  has: brokerHasSchema,
  features: brokerFeaturesSchema,
});
/** Manifest as written by a plugin author (`paper` may be omitted). */
export type BrokerManifestInput = z.input<typeof brokerManifestSchema>;
/** Manifest after validation. */
export type BrokerManifest = z.output<typeof brokerManifestSchema>;

export type ManifestValidation = { ok: true; manifest: BrokerManifest } | { ok: false; problems: string[] };

/** Validates a manifest's shape and contract version; never throws. */
export function validateManifest(input: unknown): ManifestValidation {
  const parsed = brokerManifestSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => `manifest.${i.path.join('.') || '(root)'}: ${i.message}`),
    };
  }
  if (!SUPPORTED_CONTRACT_VERSIONS.includes(parsed.data.contractVersion)) {
    return {
      ok: false,
      problems: [
        `manifest.contractVersion ${parsed.data.contractVersion} is not supported (this SDK supports ${SUPPORTED_CONTRACT_VERSIONS.join(', ')})`,
      ],
    };
  }
  return { ok: true, manifest: parsed.data };
}

/** Whether an SL-M order may be sent for this segment (else: SL with a limit price, see features.stopMarketSegments). */
export function acceptsStopMarket(
  features: Pick<BrokerFeatures, 'orderTypes' | 'stopMarketSegments'>,
  segment: ExchangeSegment,
): boolean {
  if (!features.orderTypes.includes('SL-M')) return false;
  return features.stopMarketSegments === undefined || features.stopMarketSegments.includes(segment);
}

/** Whether the broker's postbacks reach the plugin: has.webhooks, or order updates that come only by webhook. */
export function acceptsWebhooks(has: BrokerHas): boolean {
  return has.webhooks || has.orderUpdates === 'webhook';
}
