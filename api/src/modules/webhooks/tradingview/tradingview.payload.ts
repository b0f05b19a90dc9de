import { z } from 'zod';
import Decimal from 'decimal.js';
import type { FieldIssue } from '../../../shared/app-error';
import { parseJsonObject } from '../../../rest/json-object-body';

export type AlertSignal = {
  secret: string;
  idempotencyKey: string;
  symbol?: string;
  side: 'BUY' | 'SELL' | 'EXIT';
  qty?: string;
  orderType: 'MARKET' | 'LIMIT' | 'SL' | 'SL-M';
  price?: string;
  triggerPrice?: string;
  timeframe?: string;
  firedAt?: string;
  extras?: Record<string, unknown>;
};

export type ParseResult = { ok: true; signal: AlertSignal } | { ok: false; unauthorized: true } | { ok: false; unauthorized: false; details: FieldIssue[] };

const PLACEHOLDER = /\{\{[^}]*\}\}/;
const CHECKED_FIELDS = ['secret', 'idempotency_key', 'symbol', 'side', 'qty', 'order_type', 'price', 'trigger_price', 'timeframe', 'time'];

// TradingView fills numbers as text ("1", "2950.5"); both spellings are accepted and kept as exact decimal strings.
const decimalText = (field: string) => z.union([z.number(), z.string().trim()])
  .transform((v, ctx) => {
    const text = String(v);
    if (!/^\d+(\.\d+)?$/.test(text) || !new Decimal(text).gt(0) || new Decimal(text).gte('1e12')) {
      ctx.addIssue({ code: 'custom', message: `${field} must be a number greater than 0` });
      return z.NEVER;
    }
    return new Decimal(text).toFixed();
  });

// "NSE:RELIANCE" -> RELIANCE; TradingView continuous futures "NATURALGAS1!" -> NATURALGAS
export function normalizeTicker(raw: string): string {
  const ticker = raw.includes(':') ? raw.slice(raw.lastIndexOf(':') + 1) : raw;
  return ticker.replace(/\d!$/, '').toUpperCase();
}

const schema = z.object({
  idempotency_key: z.string().trim().min(1, 'idempotency_key is required').max(200, 'idempotency_key is at most 200 characters'),
  symbol: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9&_.:!-]+$/, 'symbol has unexpected characters').optional(),
  side: z.string().trim().transform((v) => v.toUpperCase()).pipe(z.enum(['BUY', 'SELL', 'EXIT'], { message: 'side must be BUY, SELL or EXIT' })),
  qty: decimalText('qty').optional(),
  order_type: z.string().trim().transform((v) => v.toUpperCase().replace(/[_ ]/g, '-').replace(/^SLM$/, 'SL-M'))
    .pipe(z.enum(['MARKET', 'LIMIT', 'SL', 'SL-M'], { message: 'order_type must be MARKET, LIMIT, SL or SL-M' })).default('MARKET'),
  price: decimalText('price').nullish(),
  trigger_price: decimalText('trigger_price').nullish(),
  timeframe: z.union([z.string().max(16), z.number()]).transform(String).optional(),
  time: z.string().datetime({ offset: true, message: 'time must be an ISO 8601 time such as {{timenow}}' }).optional(),
  extras: z.record(z.string(), z.unknown()).optional(),
}).superRefine((v, ctx) => {
  if ((v.order_type === 'LIMIT' || v.order_type === 'SL') && !v.price) ctx.addIssue({ code: 'custom', path: ['price'], message: `price is required for ${v.order_type} orders` });
  if ((v.order_type === 'SL' || v.order_type === 'SL-M') && !v.trigger_price) ctx.addIssue({ code: 'custom', path: ['trigger_price'], message: `trigger_price is required for ${v.order_type} orders` });
});

export const parseJsonBody = (raw: string) => parseJsonObject(raw, 'body must be a JSON object (the TradingView alert message in JSON)');

// The secret is checked before anything else is said about the body, so strangers learn nothing about the format.
export function extractSecret(body: Record<string, unknown>): string | null {
  return typeof body.secret === 'string' && body.secret.length > 0 && body.secret.length <= 200 ? body.secret : null;
}

export function parseSignal(body: Record<string, unknown>, secret: string): ParseResult {
  const placeholders = CHECKED_FIELDS
    .filter((f) => typeof body[f] === 'string' && PLACEHOLDER.test(body[f] as string))
    .map((f) => ({ path: f, message: `${(body[f] as string).match(PLACEHOLDER)![0]} was not replaced: TradingView fills placeholders only in matching alert types` }));
  if (placeholders.length) return { ok: false, unauthorized: false, details: placeholders };
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    return { ok: false, unauthorized: false, details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
  }
  const v = parsed.data;
  return {
    ok: true,
    signal: {
      secret, idempotencyKey: v.idempotency_key, symbol: v.symbol ? normalizeTicker(v.symbol) : undefined, side: v.side,
      qty: v.qty, orderType: v.order_type, price: v.price ?? undefined, triggerPrice: v.trigger_price ?? undefined,
      timeframe: v.timeframe, firedAt: v.time, extras: v.extras,
    },
  };
}
