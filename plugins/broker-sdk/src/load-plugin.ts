// The loader the host uses: manifest -> contract version -> options -> client method check

import type { BrokerClient, BrokerContext } from './client';
import { CAPABILITY_METHODS, HAS_METHODS, hasCapability } from './client';
import type { Capability } from './client';
import type { BrokerPluginDefinition } from './define-broker';
import { AuthError, PluginLoadError } from './errors';
import type { InstrumentMaster } from './instrument-master.models';
import type { BrokerManifest } from './manifest';
import { acceptsWebhooks, validateManifest } from './manifest';
import type { MarketHours } from './market-hours.models';
import type { WebhookParse, WebhookRequest } from './webhook.models';

export type LoadedBrokerPlugin<Options = unknown> = {
  manifest: BrokerManifest;
  /** Options after optionsSchema parsing (defaults applied). */
  options: Options;
  /** Builds a client and checks it implements every method its manifest promises. */
  createClient(ctx: BrokerContext): Promise<BrokerClient>;
  /** has.webhooks: the plugin's postback parser with its options bound; null otherwise. */
  parseWebhook: ((request: WebhookRequest) => WebhookParse) | null;
  /** has.instrumentMaster: the instrument master built from the options; null otherwise. */
  instruments: InstrumentMaster | null;
  /** has.marketHours: the venue's calendar and whether it is enforced; null otherwise. */
  marketHours: MarketHours | null;
};

// The plugin-level hooks a manifest promises, and the problems when one is missing
function missingHooks(manifest: BrokerManifest, def: Partial<BrokerPluginDefinition<unknown>>): string[] {
  const missing: string[] = [];
  if (acceptsWebhooks(manifest.has) && typeof def.parseWebhook !== 'function')
    missing.push('has.webhooks is declared but parseWebhook(request, options) is not a function');
  if (manifest.has.instrumentMaster && typeof def.instruments !== 'function')
    missing.push('has.instrumentMaster is declared but instruments(options) is not a function');
  if (manifest.has.marketHours && typeof def.marketHours !== 'function')
    missing.push('has.marketHours is declared but marketHours(options) is not a function');
  return missing;
}

// Built once at load: a hook that throws, or returns something unusable, stops the load with the plugin's name
function buildHook<T>(name: string, what: string, build: () => T, check: (value: T) => string | null): T {
  let value: T;
  try {
    value = build();
  } catch (error) {
    throw new PluginLoadError(name, [`${what} threw: ${(error as Error).message}`], error);
  }
  const problem = check(value);
  if (problem) throw new PluginLoadError(name, [`${what} ${problem}`]);
  return value;
}

/**
 * The definition a plugin module exports (default, `plugin`, or the module itself), before any validation; null when
 * there is none. The host reads `manifest.name`, `optionsSchema` and `envAliases` from it to gather the options.
 */
export function pluginDefinitionOf(moduleExports: unknown): Partial<BrokerPluginDefinition<unknown>> | null {
  const def = pickDefinition(moduleExports);
  return typeof def === 'object' && def !== null && 'manifest' in def
    ? (def as Partial<BrokerPluginDefinition<unknown>>)
    : null;
}

function pickDefinition(moduleExports: unknown): unknown {
  // Accept the definition itself, CJS `{ default }`, `{ plugin }`, and double-wrapped ESM interop
  let candidate: unknown = moduleExports;
  for (let i = 0; i < 3; i++) {
    if (typeof candidate !== 'object' || candidate === null) return candidate;
    const c = candidate as Record<string, unknown>;
    if ('manifest' in c && 'create' in c) return c;
    candidate = c.default ?? c.plugin;
  }
  return candidate;
}

function guessName(def: unknown, source?: string): string {
  const name = (def as { manifest?: { name?: unknown } } | null)?.manifest?.name;
  return typeof name === 'string' && name ? name : (source ?? '<unknown>');
}

/** Lists `has` promises the client does not keep (missing methods). */
export function missingClientMethods(manifest: BrokerManifest, client: object): string[] {
  const c = client as Record<string, unknown>;
  const missing: string[] = [];
  for (const [flag, methods] of Object.entries(HAS_METHODS)) {
    if (!manifest.has[flag as keyof typeof HAS_METHODS]) continue;
    for (const m of methods)
      if (typeof c[m] !== 'function') missing.push(`has.${flag} is true but client.${m} is not a function`);
  }
  for (const [cap, methods] of Object.entries(CAPABILITY_METHODS)) {
    if (!hasCapability(manifest.has, cap as Capability)) continue;
    for (const m of methods)
      if (typeof c[m] !== 'function') missing.push(`has.${cap} is declared but client.${m} is not a function`);
  }
  if (manifest.has.orderUpdates !== false && typeof c.subscribeOrderUpdates !== 'function') {
    missing.push(
      `has.orderUpdates is '${manifest.has.orderUpdates}' but client.subscribeOrderUpdates is not a function`,
    );
  }
  if (typeof c.close !== 'function') missing.push('client.close is not a function');
  return missing;
}

/**
 * Validates a plugin module and its options. Throws PluginLoadError naming the plugin and every problem.
 *
 * @param moduleExports what `require('<plugin>')` returned
 * @param rawOptions deployment options, parsed with the plugin's optionsSchema
 * @param source where the module came from (package name or path), used in messages
 * @example
 * const loaded = loadBrokerPlugin(require('@algodatta/broker-paper'), { databaseUrl: process.env.DATABASE_URL });
 * const client = await loaded.createClient({ logger, clock: { now: Date.now }, accountId: 'strategy-1', credentials: {} });
 */
export function loadBrokerPlugin<Options = unknown>(
  moduleExports: unknown,
  rawOptions: unknown = {},
  source?: string,
): LoadedBrokerPlugin<Options> {
  const def = pickDefinition(moduleExports);
  const name = guessName(def, source);
  if (typeof def !== 'object' || def === null || !('manifest' in def)) {
    throw new PluginLoadError(name, [
      'module does not export defineBroker({ manifest, optionsSchema, create }) as default or `plugin`',
    ]);
  }
  const d = def as Partial<BrokerPluginDefinition<Options>>;
  const validation = validateManifest(d.manifest);
  if (!validation.ok) throw new PluginLoadError(name, validation.problems);
  const manifest = validation.manifest;
  if (typeof d.create !== 'function') throw new PluginLoadError(name, ['create(ctx, options) is not a function']);
  const schema = d.optionsSchema;
  if (!schema || typeof (schema as { safeParse?: unknown }).safeParse !== 'function') {
    throw new PluginLoadError(name, ['optionsSchema is not a zod schema']);
  }
  const parsed = schema.safeParse(rawOptions ?? {});
  if (!parsed.success) {
    throw new PluginLoadError(
      name,
      parsed.error.issues.map((i) => `options.${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  const options = parsed.data;
  const create = d.create;
  const hookProblems = missingHooks(manifest, d);
  if (hookProblems.length > 0) throw new PluginLoadError(name, hookProblems);
  const webhookParser = acceptsWebhooks(manifest.has) ? d.parseWebhook!.bind(d) : null;
  const instruments = manifest.has.instrumentMaster
    ? buildHook(
        manifest.name,
        'instruments(options)',
        () => d.instruments!(options),
        (m) =>
          typeof m?.download !== 'function' || typeof m?.resolve !== 'function' || typeof m?.refreshCron !== 'string'
            ? 'must return { source, refreshCron, download, resolve }'
            : null,
      )
    : null;
  const marketHours = manifest.has.marketHours
    ? buildHook(
        manifest.name,
        'marketHours(options)',
        () => d.marketHours!(options),
        (h) =>
          typeof h?.enforce !== 'boolean' || typeof h?.calendar?.marketState !== 'function'
            ? 'must return { enforce, calendar }'
            : null,
      )
    : null;

  return {
    manifest,
    options,
    parseWebhook: webhookParser && ((request: WebhookRequest) => webhookParser(request, options)),
    instruments,
    marketHours,
    async createClient(ctx: BrokerContext): Promise<BrokerClient> {
      const missingCreds = manifest.requiredCredentials.filter((k) => !ctx.credentials?.[k]);
      if (missingCreds.length > 0) {
        throw new AuthError(`${manifest.name}: credentials missing: ${missingCreds.join(', ')}`, {
          broker: manifest.name,
        });
      }
      const client = await create(ctx, options);
      if (typeof client !== 'object' || client === null) {
        throw new PluginLoadError(manifest.name, ['create() did not return a client object']);
      }
      const missing = missingClientMethods(manifest, client);
      if (missing.length > 0) {
        await client
          .close?.()
          .catch((e: unknown) => ctx.logger.warn('close after failed load check failed', { error: String(e) }));
        throw new PluginLoadError(manifest.name, missing);
      }
      return client;
    },
  };
}
