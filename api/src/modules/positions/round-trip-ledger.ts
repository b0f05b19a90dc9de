import type Decimal from 'decimal.js';
import { D, money } from '../../shared/decimal';

// A round trip is one life of a position: it opens with the fill that takes the position away from zero and
// closes with the fill that brings it back to zero, or through zero (a reversal: the closing part ends this trip
// and the rest of the fill opens the next one). Adds and partial closes in between belong to the trip. A trip's
// net P&L is the sum of its fills' realized net P&L (the average-cost ledger's, which the executions' pnl adds
// up), so the trips of a strategy and its executions agree to the paisa; and because a trip ends flat, its P&L
// is also what first-in-first-out matching of its fills gives (sells minus buys minus charges).

// The trip a position is in, kept on the position row (positions.open_trip) and carried fill to fill
export type OpenTrip = {
  side: 'LONG' | 'SHORT';
  openedAt: string;
  entryQty: string;
  entryValue: string; // fills (or parts) that opened or added
  exitQty: string;
  exitValue: string; // fills (or parts) that reduced
  maxQty: string; // the largest absolute position during the trip
  charges: string; // charges of the trip's fills (a reversal's charges split by quantity)
  pnl: string; // realized net P&L of the trip's fills (entry charges count as negative P&L when paid)
  fills: number;
};

// A closed trip as stored in round_trips (column names)
export type ClosedTrip = {
  side: 'LONG' | 'SHORT';
  qty: string;
  entry_price: string;
  exit_price: string;
  max_qty: string;
  turnover: string;
  gross_pnl: string;
  charges: string;
  net_pnl: string;
  opened_at: string;
  closed_at: string;
  fills: number;
};

export type TripFill = { side: 'BUY' | 'SELL'; qty: Decimal; price: Decimal; charges: Decimal; at: Date };

const add = (a: string, b: Decimal.Value) => money(new D(a).plus(b));

function newTrip(side: OpenTrip['side'], at: Date): OpenTrip {
  return {
    side,
    openedAt: at.toISOString(),
    entryQty: '0',
    entryValue: '0',
    exitQty: '0',
    exitValue: '0',
    maxQty: '0',
    charges: '0',
    pnl: '0',
    fills: 0,
  };
}

function close(trip: OpenTrip, at: Date): ClosedTrip {
  const entryQty = new D(trip.entryQty);
  const exitQty = new D(trip.exitQty);
  return {
    side: trip.side,
    qty: trip.entryQty,
    entry_price: entryQty.isZero() ? '0' : money(new D(trip.entryValue).div(entryQty)),
    exit_price: exitQty.isZero() ? '0' : money(new D(trip.exitValue).div(exitQty)),
    max_qty: trip.maxQty,
    turnover: add(trip.entryValue, trip.exitValue),
    gross_pnl: add(trip.pnl, trip.charges),
    charges: trip.charges,
    net_pnl: trip.pnl,
    opened_at: trip.openedAt,
    closed_at: at.toISOString(),
    fills: trip.fills,
  };
}

// What one fill does to the position's trip. `before`/`avgBefore` are the position before the fill and
// `realizedDelta` is the fill's realized net P&L from position-ledger.ts, rounded as the execution stores it.
export function applyFillToTrip(
  open: OpenTrip | null,
  before: Decimal,
  avgBefore: Decimal,
  fill: TripFill,
  realizedDelta: Decimal,
): { open: OpenTrip | null; closed: ClosedTrip | null } {
  const signed = fill.side === 'BUY' ? fill.qty : fill.qty.neg();
  const after = before.plus(signed);
  let trip = open;
  if (before.isZero())
    trip = null; // a trip left open by an outside change of the position cannot continue
  else if (!trip) {
    // A position opened before trips were kept: the trip starts now, at the position's average cost
    trip = {
      ...newTrip(before.isPositive() ? 'LONG' : 'SHORT', fill.at),
      entryQty: money(before.abs()),
      entryValue: money(before.abs().times(avgBefore)),
      maxQty: money(before.abs()),
    };
  }
  const reducing = !before.isZero() && before.isPositive() !== signed.isPositive();
  if (!reducing) {
    const base = trip ?? newTrip(signed.isPositive() ? 'LONG' : 'SHORT', fill.at);
    return {
      open: {
        ...base,
        entryQty: add(base.entryQty, fill.qty),
        entryValue: add(base.entryValue, fill.qty.times(fill.price)),
        maxQty: money(D.max(base.maxQty, after.abs())),
        charges: add(base.charges, fill.charges),
        pnl: add(base.pnl, realizedDelta),
        fills: base.fills + 1,
      },
      closed: null,
    };
  }
  const closing = D.min(fill.qty, before.abs());
  const opening = fill.qty.minus(closing);
  // A reversal: the quantity that opens the next trip takes its share of the fill's charges with it
  const openingCharges = new D(money(fill.charges.times(opening).div(fill.qty)));
  const current: OpenTrip = {
    ...trip!,
    exitQty: add(trip!.exitQty, closing),
    exitValue: add(trip!.exitValue, closing.times(fill.price)),
    charges: add(trip!.charges, fill.charges.minus(openingCharges)),
    pnl: add(trip!.pnl, realizedDelta.plus(openingCharges)),
    fills: trip!.fills + 1,
  };
  if (!after.isZero() && after.isPositive() === before.isPositive()) return { open: current, closed: null }; // a partial close
  const next = opening.isZero()
    ? null
    : {
        ...newTrip(after.isPositive() ? 'LONG' : 'SHORT', fill.at),
        entryQty: money(opening),
        entryValue: money(opening.times(fill.price)),
        maxQty: money(opening),
        charges: money(openingCharges),
        pnl: money(openingCharges.neg()),
        fills: 1,
      };
  return { open: next, closed: close(current, fill.at) };
}
