import {
  BrokerClient,
  BrokerContext,
  BrokerManifest,
  hostOptionsFor,
  InstrumentMaster,
  LoadedBrokerPlugin,
  loadBrokerPlugin,
  MarketHours,
  optionsFromEnv,
  PluginLoadError,
  pluginDefinitionOf,
  WebhookParse,
  WebhookRequest,
} from '@algodatta/broker-sdk';
import type { z } from 'zod';
import type { AppConfig } from '../../config/env.schema';
import type { Logger } from '../../shared/logger';
import { outsideContext } from '../../shared/request-context';
import { instrumentBrokerClient } from './instrumented-client';
import { pluginSources, requirePlugin } from './plugin-sources';

// What broker_accounts keeps per account (encrypted): a plugin may ask for these credentials and no others
export const HOST_CREDENTIALS: readonly string[] = ['clientId', 'accessToken'];

function parseExtraOptions(raw: string): Record<string, Record<string, unknown>> {
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, Record<string, unknown>>;
  } catch {
    /* reported below */
  }
  throw new PluginLoadError('BROKER_PLUGIN_OPTIONS', ['must be a JSON object keyed by plugin name']);
}

export type OptionSources = {
  env: NodeJS.ProcessEnv;
  databaseUrl: string;
  extra: Record<string, Record<string, unknown>>;
  logger: Logger;
};

// A plugin's options, lowest first: the host's own (its database, for a plugin that asks), BROKER_<NAME>_<OPTION>
// (or a deprecated name the plugin declares, with a warning), then BROKER_PLUGIN_OPTIONS. The plugin's schema
// validates the result when it loads.
function gatherOptions(source: string, moduleExports: unknown, from: OptionSources): Record<string, unknown> {
  const def = pluginDefinitionOf(moduleExports);
  const name = def?.manifest?.name;
  const schema = def?.optionsSchema as z.ZodType | undefined;
  if (typeof name !== 'string' || !schema || typeof schema.safeParse !== 'function') return {};
  let fromEnv: ReturnType<typeof optionsFromEnv>;
  try {
    fromEnv = optionsFromEnv(name, schema, from.env, def?.envAliases ?? {});
  } catch (error) {
    throw new PluginLoadError(source, [
      `optionsSchema cannot be read from the environment: ${(error as Error).message}`,
    ]);
  }
  for (const { name: old, replacement } of fromEnv.deprecated) {
    from.logger.warn("deprecated setting: use the plugin's own name for it", { setting: old, use: replacement });
  }
  return { ...hostOptionsFor(schema, { databaseUrl: from.databaseUrl }), ...fromEnv.options, ...from.extra[name] };
}

// Loads the configured broker plugins once at start; a broken or incompatible plugin stops the start-up. Everything
// the core knows of a broker comes from here: its manifest, its clients and the plugin-level hooks it declares.
export class BrokerRegistry {
  private readonly clients = new Map<string, Promise<BrokerClient>>();
  private closed = false;

  private constructor(
    private readonly plugins: Map<string, LoadedBrokerPlugin>,
    private readonly logger: Logger,
  ) {}

  static load(
    config: Pick<AppConfig, 'BROKER_PLUGINS' | 'BROKER_PLUGIN_OPTIONS'>,
    env: NodeJS.ProcessEnv,
    databaseUrl: string,
    logger: Logger,
  ): BrokerRegistry {
    const from: OptionSources = { env, databaseUrl, extra: parseExtraOptions(config.BROKER_PLUGIN_OPTIONS), logger };
    const plugins = new Map<string, LoadedBrokerPlugin>();
    for (const source of pluginSources(config.BROKER_PLUGINS)) {
      const moduleExports = requirePlugin(source);
      const loaded = loadBrokerPlugin(moduleExports, gatherOptions(source, moduleExports, from), source);
      const { manifest } = loaded;
      if (plugins.has(manifest.name))
        throw new PluginLoadError(source, [`a plugin named "${manifest.name}" is already loaded`]);
      const foreign = manifest.requiredCredentials.filter((c) => !HOST_CREDENTIALS.includes(c));
      if (foreign.length) {
        throw new PluginLoadError(manifest.name, [
          `requiredCredentials ${foreign.join(', ')}: this api stores ${HOST_CREDENTIALS.join(' and ')} per broker account`,
        ]);
      }
      const paper = [...plugins.values()].find((p) => p.manifest.paper);
      if (manifest.paper && paper)
        throw new PluginLoadError(manifest.name, [
          `"${paper.manifest.name}" is the paper venue already; one plugin may say paper: true`,
        ]);
      plugins.set(manifest.name, loaded);
      logger.info('broker plugin loaded', { name: manifest.name, version: manifest.version, source });
    }
    if (![...plugins.values()].some((p) => p.manifest.paper)) {
      throw new PluginLoadError('BROKER_PLUGINS', [
        'no loaded plugin says paper: true; PAPER-mode strategies need a paper venue',
      ]);
    }
    return new BrokerRegistry(plugins, logger);
  }

  manifests(): BrokerManifest[] {
    return [...this.plugins.values()].map((p) => p.manifest);
  }

  has(name: string): boolean {
    return this.plugins.has(name);
  }

  plugin(name: string): LoadedBrokerPlugin {
    const plugin = this.plugins.get(name);
    if (!plugin) throw new PluginLoadError(name, ['no broker plugin with this name is loaded']);
    return plugin;
  }

  /** The name of the loaded plugin whose manifest says `paper: true`: where PAPER-mode orders go. */
  paperBroker(): string {
    return [...this.plugins.values()].find((p) => p.manifest.paper)!.manifest.name;
  }

  /** A loaded plugin for real money (not the paper venue). */
  isLive(name: string): boolean {
    return this.plugins.get(name)?.manifest.paper === false;
  }

  /** Live plugins in the order they were configured. */
  liveBrokers(): string[] {
    return this.manifests()
      .filter((m) => !m.paper)
      .map((m) => m.name);
  }

  /** A new strategy's broker when it names none: the first live plugin configured, else the paper venue. */
  defaultLiveBroker(): string {
    return this.liveBrokers()[0] ?? this.paperBroker();
  }

  /** Whether a MARKET order placed with this broker has filled when placeOrder returns (a simulated venue). */
  fillsOnPlacement(name: string): boolean {
    return this.plugins.get(name)?.manifest.has.fillsOnPlacement === true;
  }

  /** Whether the broker pushes order updates over a stream (subscribeOrderUpdates). */
  streamsOrderUpdates(name: string): boolean {
    return this.plugins.get(name)?.manifest.has.orderUpdates === 'stream';
  }

  /** The exchange hours a venue keeps itself (has.marketHours); null for a broker that refuses orders on its own. */
  marketHours(name: string): MarketHours | null {
    return this.plugins.get(name)?.marketHours ?? null;
  }

  /** Plugins with an instrument master, in configured order. */
  instrumentMasters(): Array<{ broker: string; master: InstrumentMaster }> {
    return [...this.plugins.values()].flatMap((p) =>
      p.instruments ? [{ broker: p.manifest.name, master: p.instruments }] : [],
    );
  }

  instrumentMaster(name: string): InstrumentMaster | null {
    return this.plugins.get(name)?.instruments ?? null;
  }

  /** The postback parser of a loaded plugin that declares webhooks; null otherwise (the route answers 404). */
  webhookParser(name: string): ((request: WebhookRequest) => WebhookParse) | null {
    return this.plugins.get(name)?.parseWebhook ?? null;
  }

  // One client per (broker, account), created on first use; `credentialsVersion` forces a new client after a token change.
  client(
    name: string,
    accountId: string,
    credentials: Record<string, string> = {},
    credentialsVersion = '',
  ): Promise<BrokerClient> {
    if (this.closed) return Promise.reject(new Error('broker registry is shut down'));
    const key = `${name}:${accountId}:${credentialsVersion}`;
    let client = this.clients.get(key);
    if (!client) {
      const ctx: BrokerContext = { logger: this.pluginLogger(name), clock: { now: Date.now }, accountId, credentials };
      // Shared by every later request: made outside the context of the request that happens to need it first
      const plugin = this.plugin(name);
      client = outsideContext(() => plugin.createClient(ctx)).then((created) => instrumentBrokerClient(name, created));
      client.catch(() => this.clients.delete(key));
      this.clients.set(key, client);
    }
    return client;
  }

  // Closes every client of one account (all credential versions): after a reconnect, a reset or an expiry
  // the old client must not keep a socket open retrying a dead token.
  async closeAccount(name: string, accountId: string): Promise<void> {
    const prefix = `${name}:${accountId}:`;
    const stale = [...this.clients.entries()].filter(([key]) => key.startsWith(prefix));
    for (const [key] of stale) this.clients.delete(key);
    await Promise.all(stale.map(async ([, c]) => (await c.catch(() => undefined))?.close()));
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(clients.map(async (c) => (await c.catch(() => undefined))?.close()));
  }

  private pluginLogger(name: string): BrokerContext['logger'] {
    const child = this.logger.child({ broker: name });
    return {
      debug: (m, meta) => child.debug(m, meta),
      info: (m, meta) => child.info(m, meta),
      warn: (m, meta) => child.warn(m, meta),
      error: (m, meta) => child.error(m, meta),
    };
  }
}
