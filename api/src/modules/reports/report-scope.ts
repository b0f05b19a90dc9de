import { badInput } from '../../shared/app-error';
import { Role, TradingMode } from '../../shared/enums';
import { assertId } from '../../shared/ids';
import { istDayRange, istParts } from '../../shared/ist';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
// A report's daily series has one entry per weekday of its range: ten years is about 2,600 entries
const MAX_RANGE_DAYS = 3653;

// What a report or an export covers, checked once for GraphQL and REST alike: the caller's own rows (admins:
// everyone's), optional strategy, symbol and mode, and IST days as UTC instants [start, end).
export type ReportScope = {
  userId: string | null;
  strategyId: string | null;
  /** One strategy, many accounts: only what was traded on this broker account (LIVE), any strategy */
  accountId: string | null;
  symbol: string | null;
  mode: TradingMode | null;
  from: string | null;
  to: string | null; // the IST days asked for
  start: Date | null;
  end: Date | null;
  today: string; // IST
};

export type ReportInput = {
  from?: string | null;
  to?: string | null;
  strategyId?: string | null;
  accountId?: string | null;
  symbol?: string | null;
  mode?: string | null;
};

function day(value: string | null | undefined, field: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  // A real calendar day: 2026-02-30 does not round-trip through Date
  const at = DAY.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  if (Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== value) {
    throw badInput(`${field} must be a date as YYYY-MM-DD (IST)`, [
      { path: field, message: 'YYYY-MM-DD, a real calendar day' },
    ]);
  }
  return value;
}

function mode(value: string | null | undefined): TradingMode | null {
  if (!value) return null;
  const upper = value.toUpperCase();
  if (upper !== TradingMode.PAPER && upper !== TradingMode.LIVE)
    throw badInput('mode must be paper or live', [{ path: 'mode', message: 'paper | live' }]);
  return upper as TradingMode;
}

export function reportScope(user: { id: string; role: Role }, input: ReportInput = {}, now = new Date()): ReportScope {
  const from = day(input.from, 'from');
  const to = day(input.to, 'to');
  if (from && to && from > to)
    throw badInput('from must not be after to', [{ path: 'from', message: `${from} is after ${to}` }]);
  const today = istParts(now).date;
  if (from && (Date.parse(to ?? today) - Date.parse(from)) / 86_400_000 > MAX_RANGE_DAYS) {
    throw badInput('the range is longer than 10 years', [
      { path: 'from', message: `at most ${MAX_RANGE_DAYS} days before to` },
    ]);
  }
  const symbol = input.symbol?.trim().toUpperCase() || null;
  if (symbol && symbol.length > 64)
    throw badInput('symbol is too long', [{ path: 'symbol', message: 'at most 64 characters' }]);
  return {
    userId: user.role === Role.ADMIN ? null : user.id,
    strategyId: input.strategyId ? assertId(input.strategyId, 'strategyId') : null,
    accountId: input.accountId ? assertId(input.accountId, 'accountId') : null,
    symbol,
    mode: mode(input.mode),
    from,
    to,
    start: from ? istDayRange(from).start : null,
    end: to ? istDayRange(to).end : null,
    today,
  };
}

// `column op ?` conditions for the scope, over a table alias whose columns are user_id, strategy_id, symbol, mode
// and the given time column; every value travels as a parameter.
export function scopeConditions(
  scope: ReportScope,
  alias: string,
  timeColumn: string,
): { where: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    conditions.push(sql);
    params.push(value);
  };
  if (scope.userId) add(`${alias}.user_id = ?`, scope.userId);
  if (scope.strategyId) add(`${alias}.strategy_id = ?`, scope.strategyId);
  // The account's own LIVE trades: its user's LIVE strategies (and fan-out targets) routed to it, by name or as the
  // user's default account at that broker (the first connected, as findAccount picks it). Another user's account
  // matches none of the caller's rows (the user condition above still applies).
  if (scope.accountId)
    add(
      `${alias}.mode = 'LIVE' and ${alias}.strategy_id in (select s.id from strategies s where s.mode = 'LIVE' and
        coalesce(s.broker_account_id, (select d.id from broker_accounts d where d.user_id = s.user_id
          and d.broker = s.broker order by d.created_at, d.id limit 1)) = ?)`,
      scope.accountId,
    );
  if (scope.symbol) add(`${alias}.symbol = ?`, scope.symbol);
  if (scope.mode) add(`${alias}.mode = ?`, scope.mode);
  if (scope.start) add(`${alias}.${timeColumn} >= ?`, scope.start);
  if (scope.end) add(`${alias}.${timeColumn} < ?`, scope.end);
  return { where: conditions.length ? conditions.join(' and ') : 'true', params };
}
