import { z } from 'zod';
import Decimal from 'decimal.js';
import { checkQuantity } from '@algodatta/broker-sdk';
import type { FieldIssue } from '../../../shared/app-error';
import { parseJsonObject } from '../../../rest/json-object-body';
import { normalizeTicker } from '../../strategies/strategy-symbol';
import type { AlertSignal } from '../../alerts/alert-signal';
import { INTENT_FIELDS, readIntent } from './tradingview.intent';

// The signal belongs to alerts (any source may send one); re-exported for the files that import it from here
export type { AlertSignal } from '../../alerts/alert-signal';
import { readPrevPosition } from '../../risk/prev-position';
import { parseStopLevel, STOP_LEVEL_HINT } from '../../risk/stop-level';

export type ParseResult =
  | { ok: true; signal: AlertSignal }
  | { ok: false; unauthorized: true }
  | { ok: false; unauthorized: false; details: FieldIssue[] };

const PLACEHOLDER = /\{\{[^}]*\}\}/;
const CHECKED_FIELDS = [
  'secret',
  'idempotency_key',
  'symbol',
  'side',
  'qty',
  'order_type',
  'price',
  'trigger_price',
  'timeframe',
  'time',
  'stop_loss',
  ...INTENT_FIELDS,
];

// TradingView fills numbers as text ("1", "2950.5"); both spellings are accepted and kept as exact decimal strings.
const decimalText = (field: string) =>
  z.union([z.number(), z.string().trim()]).transform((v, ctx) => {
    const text = String(v);
    if (!/^\d+(\.\d+)?$/.test(text) || !new Decimal(text).gt(0) || new Decimal(text).gte('1e12')) {
      ctx.addIssue({ code: 'custom', message: `${field} must be a number greater than 0` });
      return z.NEVER;
    }
    return new Decimal(text).toFixed();
  });

const schema = z
  .object({
    idempotency_key: z
      .string()
      .trim()
      .min(1, 'idempotency_key is required')
      .max(200, 'idempotency_key is at most 200 characters'),
    symbol: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9&_.:!-]+$/, 'symbol has unexpected characters')
      .optional(),
    side: z
      .string()
      .trim()
      .transform((v) => v.toUpperCase())
      .pipe(z.enum(['BUY', 'SELL', 'EXIT'], { message: 'side must be BUY, SELL or EXIT' })),
    // Checked against the strategy's segment by checkQty (whole lots or whole shares)
    qty: z.unknown().optional(),
    order_type: z
      .string()
      .trim()
      .transform((v) => v.toUpperCase().replace(/[_ ]/g, '-').replace(/^SLM$/, 'SL-M'))
      .pipe(z.enum(['MARKET', 'LIMIT', 'SL', 'SL-M'], { message: 'order_type must be MARKET, LIMIT, SL or SL-M' }))
      .default('MARKET'),
    price: decimalText('price').nullish(),
    trigger_price: decimalText('trigger_price').nullish(),
    timeframe: z
      .union([z.string().max(16), z.number()])
      .transform(String)
      .optional(),
    time: z
      .string()
      .datetime({ offset: true, message: 'time must be an ISO 8601 time such as {{timenow}}' })
      .optional(),
    extras: z.record(z.string(), z.unknown()).optional(),
    stop_loss: z
      .union([z.number(), z.string()])
      .transform((v, ctx) => parseStopLevel(v) ?? (ctx.addIssue({ code: 'custom', message: STOP_LEVEL_HINT }), z.NEVER))
      .optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.order_type === 'LIMIT' || v.order_type === 'SL') && !v.price)
      ctx.addIssue({ code: 'custom', path: ['price'], message: `price is required for ${v.order_type} orders` });
    if ((v.order_type === 'SL' || v.order_type === 'SL-M') && !v.trigger_price)
      ctx.addIssue({
        code: 'custom',
        path: ['trigger_price'],
        message: `trigger_price is required for ${v.order_type} orders`,
      });
  });

export const parseJsonBody = (raw: string) =>
  parseJsonObject(raw, 'body must be a JSON object (the TradingView alert message in JSON)');

// The secret is checked before anything else is said about the body, so strangers learn nothing about the format.
export function extractSecret(body: Record<string, unknown>): string | null {
  return typeof body.secret === 'string' && body.secret.length > 0 && body.secret.length <= 200 ? body.secret : null;
}

// Fields TradingView fills that must not reach us unreplaced: the top level, and the intent inside extras
function unreplacedPlaceholders(body: Record<string, unknown>): FieldIssue[] {
  const extras = body.extras && typeof body.extras === 'object' ? (body.extras as Record<string, unknown>) : {};
  const fields = [
    ...CHECKED_FIELDS.map((f) => [f, body[f]] as const),
    ...INTENT_FIELDS.map((f) => [`extras.${f}`, extras[f]] as const),
  ];
  return fields
    .filter(([, value]) => typeof value === 'string' && PLACEHOLDER.test(value))
    .map(([path, value]) => ({
      path,
      message: `${(value as string).match(PLACEHOLDER)![0]} was not replaced: TradingView fills placeholders only in matching alert types`,
    }));
}

// The quantity follows the strategy's segment (whole lots or whole shares); on an EXIT, 0 means "close it all"
function checkQty(raw: unknown, side: string, exchangeSegment: string): { qty?: string; issue?: FieldIssue } {
  if (raw === undefined || raw === null) return {};
  const checked = checkQuantity(raw, exchangeSegment, 'qty', { allowZero: side === 'EXIT' });
  if (!checked.ok) return { issue: { path: 'qty', message: checked.message } };
  return checked.value === '0' ? {} : { qty: checked.value };
}

export function parseSignal(body: Record<string, unknown>, secret: string, exchangeSegment: string): ParseResult {
  const placeholders = unreplacedPlaceholders(body);
  if (placeholders.length) return { ok: false, unauthorized: false, details: placeholders };
  const parsed = schema.safeParse(body);
  const details: FieldIssue[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const side = parsed.success
    ? parsed.data.side
    : String(body.side ?? '')
        .trim()
        .toUpperCase();
  const qty = checkQty(body.qty, side, exchangeSegment);
  if (qty.issue) details.push(qty.issue);
  const intent = readIntent(body, exchangeSegment);
  if (!intent.ok) details.push(...intent.details);
  if (!parsed.success || details.length || !intent.ok) return { ok: false, unauthorized: false, details };
  const v = parsed.data;
  return {
    ok: true,
    signal: {
      secret,
      idempotencyKey: v.idempotency_key,
      symbol: v.symbol ? normalizeTicker(v.symbol) : undefined,
      side: v.side,
      qty: qty.qty,
      orderType: v.order_type,
      price: v.price ?? undefined,
      triggerPrice: v.trigger_price ?? undefined,
      timeframe: v.timeframe,
      firedAt: v.time,
      extras: v.extras,
      ...(v.stop_loss && { stopLoss: v.stop_loss }),
      ...(intent.intent && { marketPosition: intent.intent.marketPosition, positionSize: intent.intent.positionSize }),
      ...readPrevPosition(body),
    },
  };
}
