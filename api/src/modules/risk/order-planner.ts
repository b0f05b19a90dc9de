import type Decimal from 'decimal.js';
import { D } from '../../shared/decimal';
import { AllowedSides, OppositeSignalPolicy } from '../../shared/enums';
import type { RuleRejectReason } from '../executions/store/reject-reasons';

export type PlanInput = {
  signal: 'BUY' | 'SELL' | 'EXIT';
  alertQty: Decimal | null; // in order units (shares, or lots x lot size); null for an EXIT without one
  position: Decimal; // signed, order units
  policy: OppositeSignalPolicy;
  allowedSides: AllowedSides;
  maxOpenPosition: Decimal | null;
  // TradingView's position after the alert's order, when the alert carried it; qty absolute, order units, null
  // when the alert sent no position_size
  marketPosition?: { side: 'long' | 'short' | 'flat'; qty: Decimal | null };
};

export type PlanRule = 'market_position' | 'exit' | 'reverse' | 'reduce_only' | 'signal';

// Why the order is what it is, recorded on the execution (all quantities in order units, positions signed)
export type PlanDecision = {
  rule: PlanRule;
  side: 'BUY' | 'SELL';
  qty: string;
  positionBefore: string;
  positionAfter: string;
  marketPosition?: 'long' | 'short' | 'flat';
  targetPosition?: string;
};

export type Plan =
  | { ok: true; side: 'BUY' | 'SELL'; qty: Decimal; resultingPosition: Decimal; decision: PlanDecision }
  | { ok: false; reason: RuleRejectReason; message: string };

const reject = (reason: RuleRejectReason, message: string): Plan => ({ ok: false, reason, message });

function order(rule: PlanRule, position: Decimal, after: Decimal, extra: Partial<PlanDecision> = {}): Plan {
  const delta = after.minus(position);
  const side = delta.isPositive() ? 'BUY' : 'SELL';
  return {
    ok: true,
    side,
    qty: delta.abs(),
    resultingPosition: after,
    decision: {
      rule,
      side,
      qty: delta.abs().toFixed(),
      positionBefore: position.toFixed(),
      positionAfter: after.toFixed(),
      ...extra,
    },
  };
}

const onForbiddenSide = (sides: AllowedSides, position: Decimal) =>
  (sides === AllowedSides.LONG_ONLY && position.isNegative()) ||
  (sides === AllowedSides.SHORT_ONLY && position.isPositive());
const sidesText = (sides: AllowedSides) =>
  `this strategy is ${sides === AllowedSides.LONG_ONLY ? 'long' : 'short'} only`;
const grows = (input: PlanInput, after: Decimal) =>
  input.maxOpenPosition !== null && after.abs().gt(input.maxOpenPosition) && after.abs().gt(input.position.abs());
const overLimit = (input: PlanInput, after: Decimal) =>
  reject(
    'risk_limit',
    `the order would leave a position of ${after.abs().toFixed()} above the maximum ${input.maxOpenPosition!.toFixed()}`,
  );

// Turns a signal into one order against the strategy's current position:
// with TradingView's market_position, the order brings the position there (see planTowardMarketPosition);
// otherwise EXIT closes the position (or reduces it by the alert's quantity), an opposite signal reverses to the
// alert quantity (REVERSE) or only reduces (REDUCE_ONLY), and allowed sides and the maximum open position are
// enforced on the position the order would leave.
export function planOrder(input: PlanInput): Plan {
  if (input.marketPosition) return planTowardMarketPosition(input, input.marketPosition);
  const { signal, position } = input;
  if (signal === 'EXIT') {
    if (position.isZero()) return reject('no_position', 'EXIT received but the strategy has no open position');
    const qty = input.alertQty?.gt(0) ? D.min(input.alertQty, position.abs()) : position.abs();
    return order('exit', position, position.isPositive() ? position.minus(qty) : position.plus(qty));
  }
  const qty = input.alertQty;
  if (!qty || qty.lte(0)) return reject('invalid_quantity', 'quantity must be greater than 0');
  const direction = signal === 'BUY' ? 1 : -1;
  const opposite = !position.isZero() && position.isPositive() !== direction > 0;
  let orderQty = qty;
  let rule: PlanRule = 'signal';
  if (opposite) {
    const reduceOnly =
      input.policy === OppositeSignalPolicy.REDUCE_ONLY ||
      (input.allowedSides === AllowedSides.LONG_ONLY && signal === 'SELL') ||
      (input.allowedSides === AllowedSides.SHORT_ONLY && signal === 'BUY');
    orderQty = reduceOnly ? D.min(qty, position.abs()) : position.abs().plus(qty);
    rule = reduceOnly ? 'reduce_only' : 'reverse';
  }
  const resulting = position.plus(orderQty.times(direction));
  if (onForbiddenSide(input.allowedSides, resulting)) return reject('side_not_allowed', sidesText(input.allowedSides));
  if (grows(input, resulting)) return overLimit(input, resulting);
  return order(rule, position, resulting);
}

// TradingView reports where its strategy stands after the order (flat, long or short, and the size when sent);
// our position goes there, whatever the opposite-signal policy, so an exit closes and a reversal reverses by the
// size TradingView holds. Without a size, the alert's order nets into our position as it did into TradingView's,
// never past flat against the side TradingView reports. A side the strategy does not trade is never opened (the
// position only goes to flat), and the maximum open position holds as for any order.
function planTowardMarketPosition(input: PlanInput, market: NonNullable<PlanInput['marketPosition']>): Plan {
  const { position } = input;
  const sign = market.side === 'long' ? 1 : market.side === 'short' ? -1 : 0;
  let target: Decimal;
  if (sign === 0) target = new D(0);
  else if (market.qty) target = market.qty.times(sign);
  else {
    const netted = netSignal(input);
    target = sign > 0 ? D.max(netted, 0) : D.min(netted, 0);
  }
  const after = onForbiddenSide(input.allowedSides, target) ? new D(0) : target;
  const recorded = {
    marketPosition: market.side,
    ...(market.qty !== null || sign === 0 ? { targetPosition: target.toFixed() } : {}),
  };
  if (after.eq(position)) {
    if (!after.eq(target))
      return reject('side_not_allowed', `${sidesText(input.allowedSides)}: TradingView is ${market.side}`);
    if (after.isZero()) return reject('no_position', 'TradingView is flat and so is the strategy: nothing to close');
    return reject(
      'at_target',
      `the position is already ${position.toFixed()}, where TradingView's market_position ${market.side} puts it`,
    );
  }
  if (grows(input, after)) return overLimit(input, after);
  return order('market_position', position, after, recorded);
}

// The alert's own order applied to the position as plain netting (EXIT: toward flat, by its quantity or all of it)
function netSignal(input: PlanInput): Decimal {
  const { position, signal } = input;
  const qty = input.alertQty ?? new D(0);
  if (signal === 'BUY') return position.plus(qty);
  if (signal === 'SELL') return position.minus(qty);
  const reduce = qty.gt(0) ? D.min(qty, position.abs()) : position.abs();
  return position.isNegative() ? position.plus(reduce) : position.minus(reduce);
}
