import Decimal from 'decimal.js';
import type { FieldIssue } from '../../shared/app-error';
import { parseStopLevel, type StopLevel } from '../risk/stop-level';

// The exits an entry asks for: a level is a price, a percent of the fill price ("1.5%") or points ("20pts"), as
// the alert's stop_loss already reads (risk/stop-level.ts). A strategy's defaults are percent or points only (a
// fixed price belongs to one alert, not to every entry); exitAfterMinutes closes the position after that long.
export type ExitSpec = {
  stopLoss?: StopLevel;
  takeProfit?: StopLevel;
  /** Distance the stop follows the best price by: percent or points (a bare number is points) */
  trailingStop?: StopLevel;
  /** Once the price reaches this level in profit, the stop moves to the entry price */
  breakevenAt?: StopLevel;
  exitAfterMinutes?: number;
};

export const EXIT_FIELDS = ['stop_loss', 'take_profit', 'trailing_stop', 'breakeven_at', 'exit_after'] as const;
const MAX_MINUTES = 7 * 24 * 60;

const hint = (field: string, forms: string) => `${field} must be ${forms}`;
const LEVEL_FORMS = 'a price (e.g. 2450.5), a percent of the fill price ("1.5%") or points ("20pts")';
const DISTANCE_FORMS = 'a percent of the price ("1.5%") or points ("20pts", or a number of points)';

export const formatLevel = (level: StopLevel): string =>
  level.kind === 'price' ? level.value : `${level.value}${level.kind === 'percent' ? '%' : 'pts'}`;

// Reads one level; a trailing stop is a distance, so its bare number means points
function readLevel(raw: unknown, field: string, distanceOnly: boolean): StopLevel | FieldIssue {
  const level = parseStopLevel(raw);
  if (!level) return { path: field, message: hint(field, distanceOnly ? DISTANCE_FORMS : LEVEL_FORMS) };
  if (distanceOnly && level.kind === 'price') return { ...level, kind: 'points' };
  return level;
}

function readMinutes(raw: unknown, field: string): number | FieldIssue {
  const n = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_MINUTES)
    return { path: field, message: `${field} must be whole minutes from 1 to ${MAX_MINUTES}` };
  return n;
}

const isIssue = (v: unknown): v is FieldIssue => typeof v === 'object' && v !== null && 'path' in v;

// The webhook's exit fields (snake case, top level). Absent or null fields are not set.
export function readAlertExits(body: Record<string, unknown>): { spec: ExitSpec; issues: FieldIssue[] } {
  const spec: ExitSpec = {};
  const issues: FieldIssue[] = [];
  const take = <K extends keyof ExitSpec>(key: K, field: string, read: (raw: unknown) => ExitSpec[K] | FieldIssue) => {
    const raw = body[field];
    if (raw === undefined || raw === null || raw === '') return;
    const value = read(raw);
    if (isIssue(value)) issues.push(value);
    else spec[key] = value as ExitSpec[K];
  };
  take('takeProfit', 'take_profit', (raw) => readLevel(raw, 'take_profit', false));
  take('trailingStop', 'trailing_stop', (raw) => readLevel(raw, 'trailing_stop', true));
  take('breakevenAt', 'breakeven_at', (raw) => readLevel(raw, 'breakeven_at', false));
  take('exitAfterMinutes', 'exit_after', (raw) => readMinutes(raw, 'exit_after'));
  return { spec, issues };
}

// A strategy's defaults as the dashboard and the API spell them (camel case, text like "1.5%" or "20pts")
export type ExitDefaults = {
  stopLoss?: string | null;
  takeProfit?: string | null;
  trailingStop?: string | null;
  breakevenAt?: string | null;
  exitAfterMinutes?: number | null;
};

const DEFAULT_KEYS = ['stopLoss', 'takeProfit', 'trailingStop', 'breakevenAt', 'exitAfterMinutes'] as const;

// A strategy patch's exitDefaults changes only the fields it names: a value sets one, null clears one, an omitted
// field keeps what is stored (the whole set is cleared with exitDefaults: null)
export function patchExitDefaults(stored: ExitDefaults | null | undefined, patch: ExitDefaults): ExitDefaults {
  const out: ExitDefaults = { ...(stored ?? {}) };
  for (const key of DEFAULT_KEYS) if (patch[key] !== undefined) Object.assign(out, { [key]: patch[key] });
  return out;
}

export function readExitDefaults(input: ExitDefaults): { spec: ExitSpec; issues: FieldIssue[] } {
  const spec: ExitSpec = {};
  const issues: FieldIssue[] = [];
  for (const key of ['stopLoss', 'takeProfit', 'trailingStop', 'breakevenAt'] as const) {
    const raw = input[key];
    if (raw === undefined || raw === null || raw === '') continue;
    const path = `exitDefaults.${key}`;
    const level = readLevel(raw, path, key === 'trailingStop');
    if (isIssue(level)) issues.push(level);
    else if (level.kind === 'price')
      issues.push({ path, message: hint(path, 'a percent ("1.5%") or points ("20pts"): a price fits one alert only') });
    else spec[key] = level;
  }
  if (input.exitAfterMinutes !== undefined && input.exitAfterMinutes !== null) {
    const minutes = readMinutes(input.exitAfterMinutes, 'exitDefaults.exitAfterMinutes');
    if (isIssue(minutes)) issues.push(minutes);
    else spec.exitAfterMinutes = minutes;
  }
  return { spec, issues };
}

// The stored form of the defaults, for GraphQL and the form ("1.5%", "20pts")
export function showExitSpec(spec: ExitSpec): ExitDefaults {
  return {
    stopLoss: spec.stopLoss ? formatLevel(spec.stopLoss) : null,
    takeProfit: spec.takeProfit ? formatLevel(spec.takeProfit) : null,
    trailingStop: spec.trailingStop ? formatLevel(spec.trailingStop) : null,
    breakevenAt: spec.breakevenAt ? formatLevel(spec.breakevenAt) : null,
    exitAfterMinutes: spec.exitAfterMinutes ?? null,
  };
}

export const hasExits = (spec: ExitSpec | undefined | null): spec is ExitSpec =>
  Boolean(spec && Object.values(spec).some((v) => v !== undefined));

// A price level given with the alert's price must sit on the right side of it: a stop below a buy (above a sell),
// a target and a breakeven level above a buy (below a sell). Percent and points are always on the right side.
export function checkSides(spec: ExitSpec, side: 'BUY' | 'SELL', price: string, judgeStop: boolean): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const at = new Decimal(price);
  const check = (level: StopLevel | undefined, field: string, below: boolean) => {
    if (!level || level.kind !== 'price') return;
    const ok = below ? new Decimal(level.value).lt(at) : new Decimal(level.value).gt(at);
    if (!ok)
      issues.push({
        path: field,
        message: `${field} ${level.value} is not ${below ? 'below' : 'above'} the price ${at.toFixed()} of this ${side.toLowerCase()}`,
      });
  };
  const buy = side === 'BUY';
  if (judgeStop) check(spec.stopLoss, 'stop_loss', buy);
  check(spec.takeProfit, 'take_profit', !buy);
  check(spec.breakevenAt, 'breakeven_at', !buy);
  return issues;
}

// The alert's fields win over the strategy's defaults, field by field
export const mergeExits = (defaults: ExitSpec | undefined | null, alert: ExitSpec): ExitSpec => ({
  ...(defaults ?? {}),
  ...Object.fromEntries(Object.entries(alert).filter(([, v]) => v !== undefined)),
});
