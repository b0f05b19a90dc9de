import fs from 'node:fs';
import path from 'node:path';
import { PluginLoadError } from '@algodatta/broker-sdk';

// api/package.json, from src/ (tests) and dist/ (the built api) alike
const API_PACKAGE = path.resolve(__dirname, '../../../package.json');

export type ShippedPlugins = {
  /** Always loaded, whatever BROKER_PLUGINS says (the paper venue). */
  builtIn: string[];
  /** Loaded when BROKER_PLUGINS is unset. */
  defaults: string[];
};

// Which plugins this deployment ships is packaging, not code: api/package.json "algodatta.brokerPlugins" lists them
// (the same packages it depends on), so the api's source names none.
export function shippedPlugins(): ShippedPlugins {
  const pkg = JSON.parse(fs.readFileSync(API_PACKAGE, 'utf8')) as {
    algodatta?: { brokerPlugins?: { builtIn?: string[]; default?: string[] } };
  };
  const lists = pkg.algodatta?.brokerPlugins ?? {};
  return { builtIn: lists.builtIn ?? [], defaults: lists.default ?? [] };
}

/** The plugin sources to load: the built-in ones, then BROKER_PLUGINS (or the shipped defaults), without repeats. */
export function pluginSources(configured: string | undefined): string[] {
  const shipped = shippedPlugins();
  const listed =
    configured === undefined
      ? shipped.defaults
      : configured
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  return [...new Set([...shipped.builtIn, ...listed])];
}

// A plugin entry is a package name or a file path (relative to the working directory)
export function requirePlugin(source: string): unknown {
  const target = source.startsWith('.') || path.isAbsolute(source) ? path.resolve(source) : source;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(target) as unknown;
  } catch (error) {
    throw new PluginLoadError(source, [`cannot be loaded: ${(error as Error).message.split('\n')[0]}`]);
  }
}
