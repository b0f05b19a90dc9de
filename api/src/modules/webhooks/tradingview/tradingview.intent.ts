import Decimal from 'decimal.js';
import { checkQuantity, quantityUnitFor } from '@algodatta/broker-sdk';
import type { FieldIssue } from '../../../shared/app-error';
import type { MarketPosition } from '../../alerts/alert-signal';

export type { MarketPosition };

// Where TradingView's strategy stands after the order that fired the alert: {{strategy.market_position}} and,
// when sent, the size of that position in the strategy's units (lots for derivatives, shares for equity).
export type TradingViewIntent = { marketPosition: MarketPosition; positionSize?: string };

export type IntentResult = { ok: true; intent?: TradingViewIntent } | { ok: false; details: FieldIssue[] };

const MARKET_POSITIONS: readonly string[] = ['long', 'short', 'flat'];
const SIGNED_DECIMAL = /^-?\d+(\.\d+)?$/;

// Top level first; messages generated before this was read carry both inside `extras`, and TradingView keeps
// sending those as pasted, so they are read there too (the path names where the value came from).
function field(body: Record<string, unknown>, name: string): { path: string; value: unknown } | null {
  if (body[name] !== undefined && body[name] !== null) return { path: name, value: body[name] };
  const extras = body.extras;
  if (extras && typeof extras === 'object' && !Array.isArray(extras)) {
    const value = (extras as Record<string, unknown>)[name];
    if (value !== undefined && value !== null) return { path: `extras.${name}`, value };
  }
  return null;
}

export const INTENT_FIELDS = ['market_position', 'position_size'];

// position_size is {{strategy.position_size}} (signed: negative when short) or {{strategy.market_position_size}}
// (never negative); either reads as a size with the direction market_position gives. A size that contradicts the
// direction, or a size without a direction, is refused: guessing would trade the wrong way.
export function readIntent(body: Record<string, unknown>, exchangeSegment: string): IntentResult {
  const position = field(body, 'market_position');
  const size = field(body, 'position_size');
  if (!position && !size) return { ok: true };
  if (!position) {
    return {
      ok: false,
      details: [
        { path: size!.path, message: 'position_size needs market_position ({{strategy.market_position}}) beside it' },
      ],
    };
  }
  const marketPosition = String(position.value).trim().toLowerCase();
  if (!MARKET_POSITIONS.includes(marketPosition)) {
    return {
      ok: false,
      details: [
        { path: position.path, message: 'market_position must be long, short or flat ({{strategy.market_position}})' },
      ],
    };
  }
  if (!size) return { ok: true, intent: { marketPosition: marketPosition as MarketPosition } };
  const text = typeof size.value === 'number' ? String(size.value) : String(size.value).trim();
  if (!SIGNED_DECIMAL.test(text)) {
    return {
      ok: false,
      details: [
        {
          path: size.path,
          message: 'position_size must be a number such as {{strategy.position_size}} gives, e.g. 2 or -2',
        },
      ],
    };
  }
  const signed = new Decimal(text);
  const contradiction =
    marketPosition === 'flat'
      ? !signed.isZero()
      : signed.isZero() || (marketPosition === 'long' && signed.isNegative());
  if (contradiction) {
    return {
      ok: false,
      details: [{ path: size.path, message: `position_size ${text} contradicts market_position ${marketPosition}` }],
    };
  }
  const checked = checkQuantity(signed.abs().toFixed(), exchangeSegment, 'position_size', { allowZero: true });
  if (!checked.ok) {
    // the shared rule's "0 or more" would misread a short's negative size; the unit and segment stay its words
    const message = `position_size must be a whole number of ${quantityUnitFor(exchangeSegment)} (${exchangeSegment} trades in ${quantityUnitFor(exchangeSegment)}), negative when short, e.g. 2 or -2`;
    return { ok: false, details: [{ path: size.path, message }] };
  }
  return { ok: true, intent: { marketPosition: marketPosition as MarketPosition, positionSize: checked.value } };
}
