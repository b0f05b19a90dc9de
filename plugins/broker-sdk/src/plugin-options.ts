// A plugin's deployment options from the environment: BROKER_<NAME>_<OPTION> (BROKER_DHAN_BASE_URL -> baseUrl), typed
// by the plugin's own zod schema, plus the deprecated names a plugin declares for options that used to be core
// settings. The host adds BROKER_PLUGIN_OPTIONS (JSON) on top and lets the schema validate the result.

import { z } from 'zod';

/** Options the host fills in itself when a plugin's options schema has them (never read from BROKER_<NAME>_*). */
export const HOST_OPTION_KEYS = ['databaseUrl'] as const;
export type HostOptions = { databaseUrl: string };

function optionKeys(optionsSchema: z.ZodType): string[] {
  const json = z.toJSONSchema(optionsSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return Object.keys(json.properties ?? {});
}

/** The host's own options (e.g. its database) that this plugin's schema asks for, and only those. */
export function hostOptionsFor(optionsSchema: z.ZodType, host: HostOptions): Partial<HostOptions> {
  const keys = optionKeys(optionsSchema);
  return Object.fromEntries(Object.entries(host).filter(([key]) => keys.includes(key)));
}

/** One option as the environment sees it, for .env.example and start-up messages. */
export type OptionSetting = {
  key: string;
  env: string;
  /** The JSON-schema type: string, integer, number, boolean, object, array (or a union of them). */
  type: string;
  description?: string;
  /** The default as the environment would spell it; undefined when there is none. */
  defaultValue?: string;
  /** Deprecated variable names that still set this option. */
  aliases: string[];
};

type JsonSchema = {
  type?: string | string[];
  default?: unknown;
  description?: string;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
};

const screaming = (key: string) =>
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();

/** BROKER_<NAME>_<OPTION>: `optionEnvName('dhan', 'baseUrl')` is BROKER_DHAN_BASE_URL. */
export function optionEnvName(plugin: string, key: string): string {
  return `BROKER_${screaming(plugin)}_${screaming(key)}`;
}

function typeOf(schema: JsonSchema): string {
  if (schema.anyOf) return [...new Set(schema.anyOf.map(typeOf))].join('|');
  if (Array.isArray(schema.type)) return schema.type.join('|');
  return schema.type ?? (schema.enum ? 'string' : 'any');
}

function asEnv(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Every top-level option of a plugin's schema, with its environment variable (host options left out). */
export function describeOptions(
  plugin: string,
  optionsSchema: z.ZodType,
  aliases: Readonly<Record<string, string>> = {},
): OptionSetting[] {
  const json = z.toJSONSchema(optionsSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return Object.entries(json.properties ?? {})
    .filter(([key]) => !(HOST_OPTION_KEYS as readonly string[]).includes(key))
    .map(([key, spec]) => ({
      key,
      env: optionEnvName(plugin, key),
      type: typeOf(spec),
      ...(spec.description && { description: spec.description }),
      ...(spec.default !== undefined && { defaultValue: asEnv(spec.default) }),
      aliases: Object.entries(aliases)
        .filter(([, k]) => k === key)
        .map(([old]) => old),
    }));
}

// An environment value typed for its option; a value that does not parse stays a string for the schema to refuse
function coerce(raw: string, type: string): unknown {
  const types = type.split('|');
  const text = raw.trim();
  if (types.every((t) => t === 'string' || t === 'any')) return raw;
  if (types.includes('boolean') && /^(true|false|1|0)$/i.test(text)) return /^(true|1)$/i.test(text);
  if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if ((types.includes('object') || types.includes('array')) && /^[[{]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return raw;
    }
  }
  return raw;
}

export type EnvOptions = {
  options: Record<string, unknown>;
  /** Deprecated variables that were set: warn with `replacement`. */
  deprecated: Array<{ name: string; replacement: string }>;
};

/**
 * Reads a plugin's options from the environment. BROKER_<NAME>_<OPTION> wins over a deprecated alias of the same
 * option; empty values count as unset.
 *
 * @example
 * optionsFromEnv('dhan', dhanOptionsSchema, { BROKER_DHAN_TIMEOUT_MS: '5000', DHAN_BASE_URL: 'http://127.0.0.1:9000/v2' }, { DHAN_BASE_URL: 'baseUrl' })
 * // { options: { timeoutMs: 5000, baseUrl: 'http://127.0.0.1:9000/v2' }, deprecated: [{ name: 'DHAN_BASE_URL', replacement: 'BROKER_DHAN_BASE_URL' }] }
 */
export function optionsFromEnv(
  plugin: string,
  optionsSchema: z.ZodType,
  env: Readonly<Record<string, string | undefined>>,
  aliases: Readonly<Record<string, string>> = {},
): EnvOptions {
  const options: Record<string, unknown> = {};
  const deprecated: EnvOptions['deprecated'] = [];
  for (const setting of describeOptions(plugin, optionsSchema, aliases)) {
    const current = env[setting.env];
    if (current !== undefined && current !== '') {
      options[setting.key] = coerce(current, setting.type);
      continue;
    }
    const alias = setting.aliases.find((name) => env[name] !== undefined && env[name] !== '');
    if (alias) {
      options[setting.key] = coerce(env[alias] as string, setting.type);
      deprecated.push({ name: alias, replacement: setting.env });
    }
  }
  return { options, deprecated };
}
