import Decimal from 'decimal.js';
import type { FieldIssue } from '../../shared/app-error';
import type { AlertSignal } from '../alerts/alert-signal';
import { normalizeTicker, symbolForAlert } from '../strategies/strategy-symbol';
import { checkSides, hasExits, mergeExits, readAlertExits, type ExitSpec } from './exit-spec';

type ExitStrategy = TickerStrategy & { sizingMode?: string | null; exitSpec?: ExitSpec | null };

type TickerStrategy = { symbol: string; exchangeSegment: string; allowedSymbols?: readonly string[] };

// The key an entry's plan and later prices meet under: the symbol the alert trades as the strategy spells it
// (strategy-symbol.ts: NSE:RELIANCE, RELIANCE and a future's NIFTY1! all name their strategy's symbol). null: an
// alert for a symbol the strategy does not trade, whose price must not move its plans.
export function tickerOf(strategy: TickerStrategy, signal: { symbol?: string }): string | null {
  const match = symbolForAlert(strategy, signal.symbol);
  return match.ok ? match.symbol.toUpperCase() : null;
}

// An entry's exits: the strategy's defaults, overridden field by field by the alert's stop_loss, take_profit,
// trailing_stop, breakeven_at and exit_after. Price levels on the wrong side of the alert's price are refused
// (400, the field named); with RISK_PER_TRADE sizing the stop is judged by the sizing (422 sizing_unavailable).
export function attachExits(
  strategy: ExitStrategy,
  signal: AlertSignal,
  body: Record<string, unknown>,
): { ok: true; signal: AlertSignal } | { ok: false; details: FieldIssue[] } {
  const alert = readAlertExits(body);
  if (alert.issues.length) return { ok: false, details: alert.issues };
  if (signal.side === 'EXIT') return { ok: true, signal };
  const spec = mergeExits(strategy.exitSpec, {
    ...(signal.stopLoss && { stopLoss: signal.stopLoss }),
    ...alert.spec,
  });
  if (!hasExits(spec)) return { ok: true, signal };
  if (signal.price) {
    const issues = checkSides(spec, signal.side, signal.price, strategy.sizingMode !== 'RISK_PER_TRADE');
    if (issues.length) return { ok: false, details: issues };
  }
  return { ok: true, signal: { ...signal, exits: spec, exitTicker: tickerOf(strategy, signal) ?? undefined } };
}

export type PriceAlert = { idempotencyKey: string; price: string; symbol?: string; firedAt?: string };

// A price-only alert (`side: "PRICE"`, `price`): a TradingView alert sent on every bar feeds the emulated exits
// where the broker has no market data. It is recorded, never ordered.
export function readPriceAlert(
  body: Record<string, unknown>,
): { ok: true; alert: PriceAlert } | { ok: false; details: FieldIssue[] } {
  const details: FieldIssue[] = [];
  const key = typeof body.idempotency_key === 'string' ? body.idempotency_key.trim() : '';
  if (!key || key.length > 200)
    details.push({ path: 'idempotency_key', message: 'idempotency_key is required (at most 200 characters)' });
  const raw = typeof body.price === 'number' || typeof body.price === 'string' ? String(body.price).trim() : '';
  const price = /^\d+(\.\d+)?$/.test(raw) && new Decimal(raw).gt(0) && new Decimal(raw).lt('1e12') ? raw : null;
  if (!price)
    details.push({ path: 'price', message: 'price must be a number greater than 0 (a PRICE alert carries the price)' });
  const symbol =
    typeof body.symbol === 'string' && body.symbol.trim() ? normalizeTicker(body.symbol.trim()) : undefined;
  if (symbol !== undefined && !/^[A-Z0-9&_.:!-]{1,64}$/.test(symbol))
    details.push({ path: 'symbol', message: 'symbol has unexpected characters' });
  const time = body.time;
  if (time !== undefined && (typeof time !== 'string' || Number.isNaN(Date.parse(time))))
    details.push({ path: 'time', message: 'time must be an ISO 8601 time such as {{timenow}}' });
  if (details.length) return { ok: false, details };
  return {
    ok: true,
    alert: {
      idempotencyKey: key,
      price: new Decimal(price!).toFixed(),
      symbol,
      ...(typeof body.time === 'string' && { firedAt: body.time }),
    },
  };
}

export const isPriceAlert = (body: Record<string, unknown>) =>
  typeof body.side === 'string' && body.side.trim().toUpperCase() === 'PRICE';
