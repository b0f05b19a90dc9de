// Every Dhan order status and enum maps to the normalized model
import { DHAN_STATUS_MAP, mapDhanStatus } from '../src';
import { DHAN_ORDER_STATUSES } from '../src/dhan/dhan.types';
import { DHAN_ORDER_TYPE_MAP, DHAN_PRODUCT_MAP, ORDER_TYPE_TO_DHAN, PRODUCT_TO_DHAN } from '../src/dhan/dhan-enums.map';

describe('status map', () => {
  it('should cover every Dhan status', () => {
    expect(Object.keys(DHAN_STATUS_MAP).sort()).toEqual([...DHAN_ORDER_STATUSES].sort());
  });

  it.each([
    ['TRANSIT', 0, 10, 'pending_submit'],
    ['PENDING', 0, 10, 'open'],
    ['PENDING', 4, 10, 'partially_filled'],
    ['PART_TRADED', 4, 10, 'partially_filled'],
    ['TRADED', 10, 10, 'filled'],
    ['REJECTED', 0, 10, 'rejected'],
    ['CANCELLED', 0, 10, 'cancelled'],
    ['CANCELLED', 3, 10, 'cancelled'],
    ['EXPIRED', 0, 10, 'expired'],
    ['CLOSED', 10, 10, 'filled'],
    ['CLOSED', 0, 10, 'cancelled'],
    ['TRIGGERED', 0, 10, 'open'],
    ['TRIGGERED', 5, 10, 'partially_filled'],
    ['traded', 10, 10, 'filled'],
  ])('should map %s with %i/%i filled to %s', (status, filled, qty, expected) => {
    expect(mapDhanStatus(status, filled, qty)).toBe(expected);
  });

  it('should refuse an unknown status instead of guessing', () => {
    expect(() => mapDhanStatus('WHATEVER', 0, 1)).toThrow(/unknown Dhan order status/);
  });

  it.each(Object.entries(ORDER_TYPE_TO_DHAN))('should round-trip order type %s', (ours, dhan) => {
    expect(DHAN_ORDER_TYPE_MAP[dhan]).toBe(ours);
  });

  it.each([
    ['MKT', 'MARKET'],
    ['LMT', 'LIMIT'],
    ['SL', 'SL'],
    ['SLM', 'SL-M'],
  ])('should read the WebSocket order type %s', (code, ours) => {
    expect(DHAN_ORDER_TYPE_MAP[code]).toBe(ours);
  });

  it.each(Object.entries(PRODUCT_TO_DHAN))('should round-trip product %s', (ours, dhan) => {
    expect(DHAN_PRODUCT_MAP[dhan]).toBe(ours);
  });

  it.each([
    ['C', 'CNC'],
    ['I', 'INTRADAY'],
    ['M', 'MARGIN'],
    ['F', 'MTF'],
    ['V', 'INTRADAY'],
    ['B', 'INTRADAY'],
    ['CO', 'INTRADAY'],
    ['BO', 'INTRADAY'],
  ])('should read the Dhan product code %s as %s', (code, ours) => {
    expect(DHAN_PRODUCT_MAP[code]).toBe(ours);
  });
});
