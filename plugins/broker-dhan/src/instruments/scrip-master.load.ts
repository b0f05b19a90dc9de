import { readFile } from 'node:fs/promises';
import { parseScripMaster } from './scrip-master.parse';
import type { ScripRow } from './scrip-master.parse';

export const DHAN_SCRIP_MASTER_URL = 'https://images.dhan.co/api-data/api-scrip-master.csv';
export const DHAN_SCRIP_MASTER_DETAILED_URL = 'https://images.dhan.co/api-data/api-scrip-master-detailed.csv';

/** Loads the master from an http(s) URL or a file path (no authentication needed for Dhan's URLs). */
export async function loadScripMaster(
  source: string = DHAN_SCRIP_MASTER_URL,
  opts: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<ScripRow[]> {
  if (/^https?:\/\//i.test(source)) {
    const res = await (opts.fetch ?? fetch)(source, { signal: AbortSignal.timeout(opts.timeoutMs ?? 120_000) });
    if (!res.ok) throw new Error(`instrument master: HTTP ${res.status} from ${source}`);
    return parseScripMaster(await res.text());
  }
  const path = source.startsWith('file://') ? new URL(source) : source;
  return parseScripMaster(await readFile(path, 'utf8'));
}
