import type Decimal from 'decimal.js';
import { D } from '../../shared/decimal';

export type LedgerState = { qty: Decimal; avgPrice: Decimal; realizedPnl: Decimal };
export type LedgerFill = { side: 'BUY' | 'SELL'; qty: Decimal; price: Decimal; charges: Decimal };
export type LedgerResult = LedgerState & { realizedDelta: Decimal };

// Average-cost method: adding to a position re-averages its price; reducing realizes (exit - avg) x qty for longs
// and (avg - exit) x qty for shorts at the unchanged average; a fill that crosses zero closes the old side
// and opens the rest at the fill price. Charges always reduce realized P&L (net P&L = gross - charges).
export function applyFillToLedger(state: LedgerState, fill: LedgerFill): LedgerResult {
  const signed = fill.side === 'BUY' ? fill.qty : fill.qty.neg();
  let { qty, avgPrice } = state;
  let gross = new D(0);
  const sameDirection = qty.isZero() || qty.isPositive() === signed.isPositive();
  if (sameDirection) {
    const newQty = qty.plus(signed);
    avgPrice = qty.abs().times(avgPrice).plus(signed.abs().times(fill.price)).div(newQty.abs());
    qty = newQty;
  } else {
    const closing = D.min(signed.abs(), qty.abs());
    gross = qty.isPositive() ? fill.price.minus(avgPrice).times(closing) : avgPrice.minus(fill.price).times(closing);
    const remaining = signed.abs().minus(closing);
    qty = qty.plus(signed);
    if (qty.isZero()) avgPrice = new D(0);
    else if (remaining.gt(0)) avgPrice = fill.price; // flipped through zero
  }
  const realizedDelta = gross.minus(fill.charges);
  return { qty, avgPrice, realizedPnl: state.realizedPnl.plus(realizedDelta), realizedDelta };
}

export function unrealizedPnl(qty: Decimal, avgPrice: Decimal, lastPrice: Decimal | null): Decimal {
  if (!lastPrice || qty.isZero()) return new D(0);
  return lastPrice.minus(avgPrice).times(qty);
}
