import { describeOptions, pluginDefinitionOf, type OptionSetting } from '@algodatta/broker-sdk';
import type { z } from 'zod';
import { pluginSources, requirePlugin } from './plugin-sources';

export type PluginSettings = { plugin: string; displayName: string; settings: OptionSetting[] };

// Every setting of the plugins this build ships (or of `configured`, a BROKER_PLUGINS value), from their own options
// schemas: what .env.example documents under BROKER_<NAME>_<OPTION>.
export function shippedPluginSettings(configured?: string): PluginSettings[] {
  return pluginSources(configured).flatMap((source) => {
    const def = pluginDefinitionOf(requirePlugin(source));
    const name = def?.manifest?.name;
    if (typeof name !== 'string' || !def?.optionsSchema) return [];
    return [
      {
        plugin: name,
        displayName: def.manifest?.displayName ?? name,
        settings: describeOptions(name, def.optionsSchema as z.ZodType, def.envAliases ?? {}),
      },
    ];
  });
}
