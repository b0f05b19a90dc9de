// Average-cost position accounting.
// - Adding to a position (same direction, or from flat): the average price becomes the quantity-weighted mean.
// - Reducing: realized P&L += closed quantity x (fill price - average price) x direction; the average is unchanged.
// - Crossing zero (flip): the old side closes completely at the fill price and the remainder opens the new side
//   at the fill price.
// - Flat: average price 0. Realized P&L is GROSS; charges are accumulated separately (net = gross - charges).

import type { Side } from '@algodatta/broker-sdk';
import type { Dec } from './decimal';
import { D, ZERO } from './decimal';

export type PositionState = { netQuantity: Dec; averagePrice: Dec; realizedPnl: Dec };

export function applyFill(pos: PositionState, side: Side, quantity: Dec, price: Dec): PositionState {
  const signed = side === 'BUY' ? quantity : quantity.neg();
  const q = pos.netQuantity;
  if (q.isZero() || q.isPositive() === signed.isPositive()) {
    const newQty = q.plus(signed);
    const avg = q.abs().mul(pos.averagePrice).plus(quantity.mul(price)).div(newQty.abs());
    return { netQuantity: newQty, averagePrice: avg, realizedPnl: pos.realizedPnl };
  }
  const closing = D.min(q.abs(), quantity);
  const direction = q.isPositive() ? 1 : -1;
  const realized = pos.realizedPnl.plus(closing.mul(price.minus(pos.averagePrice)).mul(direction));
  const remaining = quantity.minus(closing);
  const afterClose = q.plus(signed.isPositive() ? closing : closing.neg());
  if (!afterClose.isZero()) return { netQuantity: afterClose, averagePrice: pos.averagePrice, realizedPnl: realized };
  if (remaining.isZero()) return { netQuantity: ZERO, averagePrice: ZERO, realizedPnl: realized };
  return { netQuantity: side === 'BUY' ? remaining : remaining.neg(), averagePrice: price, realizedPnl: realized };
}

/** Mark-to-market P&L of the open quantity: (last - average) x signed quantity. */
export function unrealizedPnl(
  pos: Pick<PositionState, 'netQuantity' | 'averagePrice'>,
  lastPrice: Dec | null,
): Dec | null {
  if (lastPrice === null) return null;
  return lastPrice.minus(pos.averagePrice).mul(pos.netQuantity);
}
