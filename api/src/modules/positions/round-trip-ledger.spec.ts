import type Decimal from 'decimal.js';
import { D } from '../../shared/decimal';
import { applyFillToLedger, LedgerState } from './position-ledger';
import { applyFillToTrip, ClosedTrip, OpenTrip } from './round-trip-ledger';

type Step = { side: 'BUY' | 'SELL'; qty: string; price: string; charges: string; at: string };

// Plays fills through both ledgers as the fill path does; returns the closed trips, the open one and the
// realized P&L the executions would add up
function play(steps: Step[], start: { state?: LedgerState; open?: OpenTrip | null } = {}) {
  let state: LedgerState = start.state ?? { qty: new D(0), avgPrice: new D(0), realizedPnl: new D(0) };
  let open: OpenTrip | null = start.open ?? null;
  const closed: ClosedTrip[] = [];
  let realized: Decimal = new D(0);
  for (const s of steps) {
    const fill = { side: s.side, qty: new D(s.qty), price: new D(s.price), charges: new D(s.charges) };
    const ledger = applyFillToLedger(state, fill);
    const delta = new D(ledger.realizedDelta.toDecimalPlaces(4));
    const trip = applyFillToTrip(open, state.qty, state.avgPrice, { ...fill, at: new Date(s.at) }, delta);
    if (trip.closed) closed.push(trip.closed);
    open = trip.open;
    realized = realized.plus(delta);
    state = { qty: ledger.qty, avgPrice: new D(ledger.avgPrice.toDecimalPlaces(4)), realizedPnl: ledger.realizedPnl };
  }
  return { closed, open, realized: realized.toFixed() };
}

const sum = (trips: ClosedTrip[], key: 'net_pnl' | 'charges') =>
  trips.reduce((t, x) => t.plus(x[key]), new D(0)).toFixed();

describe('round trips from fills', () => {
  it('should keep a partial close inside the trip and close it when the position is flat', () => {
    const { closed, open, realized } = play([
      { side: 'BUY', qty: '10', price: '100', charges: '10', at: '2026-03-02T04:00:00Z' },
      { side: 'SELL', qty: '4', price: '110', charges: '5', at: '2026-03-02T04:30:00Z' },
      { side: 'BUY', qty: '2', price: '104', charges: '2', at: '2026-03-02T05:00:00Z' },
      { side: 'SELL', qty: '8', price: '95', charges: '5', at: '2026-03-02T05:30:00Z' },
    ]);
    expect(open).toBeNull();
    // Bought 10 @ 100 + 2 @ 104 = 1208; sold 4 @ 110 + 8 @ 95 = 1200: gross -8, charges 22
    expect(closed).toEqual([
      {
        side: 'LONG',
        qty: '12',
        entry_price: '100.6667',
        exit_price: '100',
        max_qty: '10',
        turnover: '2408',
        gross_pnl: '-8',
        charges: '22',
        net_pnl: '-30',
        opened_at: '2026-03-02T04:00:00.000Z',
        closed_at: '2026-03-02T05:30:00.000Z',
        fills: 4,
      },
    ]);
    expect(realized).toBe('-30');
  });

  it('should split a reversal: the closing part ends the trip, the rest opens the next with its share of the charges', () => {
    const { closed, open, realized } = play([
      { side: 'SELL', qty: '4', price: '200', charges: '6', at: '2026-03-02T04:00:00Z' },
      { side: 'BUY', qty: '7', price: '190', charges: '10', at: '2026-03-02T05:00:00Z' },
    ]);
    // 10 x 3/7 = 4.2857 goes with the 3 that open the long; the short keeps 5.7143: exactly 10 between them
    expect(closed).toEqual([
      expect.objectContaining({
        side: 'SHORT',
        qty: '4',
        gross_pnl: '40',
        charges: '11.7143',
        net_pnl: '28.2857',
        fills: 2,
      }),
    ]);
    expect(open).toEqual(
      expect.objectContaining({
        side: 'LONG',
        entryQty: '3',
        entryValue: '570',
        charges: '4.2857',
        pnl: '-4.2857',
        fills: 1,
      }),
    );
    expect(new D(closed[0].net_pnl).plus(open!.pnl).toFixed()).toBe(realized);
  });

  it('should agree with the average-cost ledger to the paisa when the fills leave it with odd averages', () => {
    const { closed, realized } = play([
      { side: 'BUY', qty: '1', price: '100', charges: '0.33', at: '2026-03-02T04:00:00Z' },
      { side: 'BUY', qty: '2', price: '101', charges: '0.67', at: '2026-03-02T04:01:00Z' },
      { side: 'SELL', qty: '5', price: '102.05', charges: '1.01', at: '2026-03-02T04:02:00Z' },
      { side: 'BUY', qty: '2', price: '101.95', charges: '0.41', at: '2026-03-02T04:03:00Z' },
    ]);
    expect(closed).toHaveLength(2);
    expect(sum(closed, 'net_pnl')).toBe(realized);
    expect(sum(closed, 'charges')).toBe('2.42');
  });

  it("should start a trip at the position's average cost when the position predates trips", () => {
    const { closed } = play([{ side: 'SELL', qty: '5', price: '110', charges: '1', at: '2026-03-02T04:00:00Z' }], {
      state: { qty: new D(5), avgPrice: new D(100), realizedPnl: new D(0) },
    });
    expect(closed).toEqual([
      expect.objectContaining({
        side: 'LONG',
        qty: '5',
        entry_price: '100',
        exit_price: '110',
        gross_pnl: '50',
        net_pnl: '49',
        fills: 1,
      }),
    ]);
  });

  it('should drop a trip the position no longer has (an outside change left it flat)', () => {
    const stale: OpenTrip = {
      side: 'LONG',
      openedAt: '2026-03-01T04:00:00.000Z',
      entryQty: '5',
      entryValue: '500',
      exitQty: '0',
      exitValue: '0',
      maxQty: '5',
      charges: '1',
      pnl: '-1',
      fills: 1,
    };
    const { open } = play([{ side: 'SELL', qty: '2', price: '100', charges: '1', at: '2026-03-02T04:00:00Z' }], {
      open: stale,
    });
    expect(open).toEqual(
      expect.objectContaining({ side: 'SHORT', entryQty: '2', openedAt: '2026-03-02T04:00:00.000Z', fills: 1 }),
    );
  });
});
