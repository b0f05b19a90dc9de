import type Decimal from 'decimal.js';
import { D } from '../../shared/decimal';
import { AllowedSides, OppositeSignalPolicy } from '../../shared/enums';

export type PlanInput = {
  signal: 'BUY' | 'SELL' | 'EXIT';
  alertQty: Decimal | null; // in order units (shares, or lots x lot size)
  position: Decimal; // signed, order units
  policy: OppositeSignalPolicy;
  allowedSides: AllowedSides;
  maxOpenPosition: Decimal | null;
};

export type Plan = { ok: true; side: 'BUY' | 'SELL'; qty: Decimal; resultingPosition: Decimal } | { ok: false; reason: string; message: string };

const reject = (reason: string, message: string): Plan => ({ ok: false, reason, message });

// Turns a signal into one order against the strategy's current position:
// EXIT flattens; an opposite signal reverses to the alert quantity (REVERSE) or only reduces (REDUCE_ONLY);
// allowed sides and the maximum open position are enforced on the position the order would leave.
export function planOrder(input: PlanInput): Plan {
  const { signal, position } = input;
  if (signal === 'EXIT') {
    if (position.isZero()) return reject('no_position', 'EXIT received but the strategy has no open position');
    return { ok: true, side: position.isPositive() ? 'SELL' : 'BUY', qty: position.abs(), resultingPosition: new D(0) };
  }
  const qty = input.alertQty;
  if (!qty || qty.lte(0)) return reject('invalid_quantity', 'quantity must be greater than 0');
  const direction = signal === 'BUY' ? 1 : -1;
  const opposite = !position.isZero() && position.isPositive() !== (direction > 0);
  let orderQty = qty;
  if (opposite) {
    const reduceOnly = input.policy === OppositeSignalPolicy.REDUCE_ONLY
      || (input.allowedSides === AllowedSides.LONG_ONLY && signal === 'SELL')
      || (input.allowedSides === AllowedSides.SHORT_ONLY && signal === 'BUY');
    orderQty = reduceOnly ? D.min(qty, position.abs()) : position.abs().plus(qty);
  }
  const resulting = position.plus(orderQty.times(direction));
  if (input.allowedSides === AllowedSides.LONG_ONLY && resulting.isNegative()) return reject('side_not_allowed', 'this strategy is long only');
  if (input.allowedSides === AllowedSides.SHORT_ONLY && resulting.isPositive()) return reject('side_not_allowed', 'this strategy is short only');
  if (input.maxOpenPosition && resulting.abs().gt(input.maxOpenPosition) && resulting.abs().gt(position.abs())) {
    return reject('risk_limit', `the order would leave a position of ${resulting.abs().toFixed()} above the maximum ${input.maxOpenPosition.toFixed()}`);
  }
  return { ok: true, side: signal, qty: orderQty, resultingPosition: resulting };
}
