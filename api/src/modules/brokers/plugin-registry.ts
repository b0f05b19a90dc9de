import path from 'node:path';
import {
  BrokerClient, BrokerContext, BrokerManifest, LoadedBrokerPlugin, loadBrokerPlugin, PluginLoadError,
} from '@algodatta/broker-sdk';
import type { AppConfig } from '../../config/env.schema';
import type { Logger } from '../../shared/logger';
import { outsideContext } from '../../shared/request-context';
import { instrumentBrokerClient } from './instrumented-client';

export const PAPER_PLUGIN = '@algodatta/broker-paper';

type PluginSource = { source: string; exports: unknown };

// A plugin entry is a package name or a file path (relative to the working directory).
function requirePlugin(source: string): PluginSource {
  const target = source.startsWith('.') || path.isAbsolute(source) ? path.resolve(source) : source;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return { source, exports: require(target) };
  } catch (error) {
    throw new PluginLoadError(source, [`cannot be loaded: ${(error as Error).message.split('\n')[0]}`]);
  }
}

function manifestName(exports: unknown): string | undefined {
  const e = exports as { default?: { manifest?: { name?: string } }; plugin?: { manifest?: { name?: string } }; manifest?: { name?: string } };
  return e?.manifest?.name ?? e?.default?.manifest?.name ?? e?.plugin?.manifest?.name;
}

// Options the platform supplies for its own plugins; BROKER_PLUGIN_OPTIONS adds to or overrides them.
function builtInOptions(config: AppConfig, databaseUrl: string): Record<string, Record<string, unknown>> {
  return {
    paper: { databaseUrl, slippageBps: config.PAPER_SLIPPAGE_BPS },
    dhan: { baseUrl: config.DHAN_BASE_URL, instrumentsSource: config.DHAN_INSTRUMENTS_URL, ...(config.DHAN_ORDER_UPDATES_URL && { orderUpdatesUrl: config.DHAN_ORDER_UPDATES_URL }) },
  };
}

function parseExtraOptions(raw: string): Record<string, Record<string, unknown>> {
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, Record<string, unknown>>;
  } catch { /* reported below */ }
  throw new PluginLoadError('BROKER_PLUGIN_OPTIONS', ['must be a JSON object keyed by plugin name']);
}

// Loads the configured broker plugins once at start; a broken or incompatible plugin stops the start-up.
export class BrokerRegistry {
  private readonly clients = new Map<string, Promise<BrokerClient>>();
  private closed = false;

  private constructor(private readonly plugins: Map<string, LoadedBrokerPlugin>, private readonly logger: Logger) {}

  static load(config: AppConfig, databaseUrl: string, logger: Logger): BrokerRegistry {
    const sources = [PAPER_PLUGIN, ...config.BROKER_PLUGINS.split(',').map((s) => s.trim()).filter(Boolean)];
    const extra = parseExtraOptions(config.BROKER_PLUGIN_OPTIONS);
    const builtIn = builtInOptions(config, databaseUrl);
    const plugins = new Map<string, LoadedBrokerPlugin>();
    for (const source of [...new Set(sources)]) {
      const { exports } = requirePlugin(source);
      const name = manifestName(exports) ?? source;
      const loaded = loadBrokerPlugin(exports, { ...builtIn[name], ...extra[name] }, source);
      if (plugins.has(loaded.manifest.name)) throw new PluginLoadError(source, [`a plugin named "${loaded.manifest.name}" is already loaded`]);
      plugins.set(loaded.manifest.name, loaded);
      logger.info('broker plugin loaded', { name: loaded.manifest.name, version: loaded.manifest.version, source });
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

  // One client per (broker, account), created on first use; `credentialsVersion` forces a new client after a token change.
  client(name: string, accountId: string, credentials: Record<string, string> = {}, credentialsVersion = ''): Promise<BrokerClient> {
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
      debug: (m, meta) => child.debug(m, meta), info: (m, meta) => child.info(m, meta),
      warn: (m, meta) => child.warn(m, meta), error: (m, meta) => child.error(m, meta),
    };
  }
}
