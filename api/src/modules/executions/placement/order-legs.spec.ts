import { D } from '../../../shared/decimal';
import { maybeLegId } from '../store/legs.sql';
import { splitAtFreeze } from './order-legs';
import { stopMarketFallback } from './stop-market-fallback';

const legs = (qty: string, freeze: string, lot: string) =>
  splitAtFreeze(new D(qty), new D(freeze), new D(lot))?.map((q) => q.toFixed()) ?? null;

describe('splitAtFreeze', () => {
  it('should leave a quantity at or below the freeze limit whole', () => {
    expect(legs('1800', '1800', '75')).toBeNull();
    expect(legs('75', '1800', '75')).toBeNull();
  });

  it('should split into whole lots of at most the limit, the rest last', () => {
    expect(legs('2250', '1800', '75')).toEqual(['1800', '450']);
    expect(legs('4500', '1800', '75')).toEqual(['1800', '1800', '900']);
    // A limit that is not a whole number of lots: each leg is the whole lots below it (1795 -> 23 lots = 1725)
    expect(legs('3600', '1795', '75')).toEqual(['1725', '1725', '150']);
    expect(legs('1001', '500', '1')).toEqual(['500', '500', '1']);
  });
});

describe('maybeLegId', () => {
  it('should know the leg ids of the core and of a sliced order', () => {
    expect(maybeLegId('ad0JhwxxYVRyiYFK9HMYO5Nw-L1')).toBe(true);
    expect(maybeLegId('ad0JhwxxYVRyiYFK9HMYO5Nw-L12')).toBe(true);
    expect(maybeLegId('ad0JhwxxYVRyiYFK9HMYO5Nw-S')).toBe(true);
    expect(maybeLegId('ad0JhwxxYVRyiYFK9HMYO5Nw')).toBe(false);
  });
});

describe('stopMarketFallback', () => {
  const features = { orderTypes: ['MARKET', 'LIMIT', 'SL', 'SL-M'] as const, stopMarketSegments: ['NSE_EQ' as const] };
  const request = (side: 'BUY' | 'SELL', segment: 'NSE_EQ' | 'MCX_COMM', trigger: string) => ({
    clientOrderId: 'ad1',
    instrument: { symbol: 'X', exchangeSegment: segment },
    side,
    type: 'SL-M' as const,
    product: 'INTRADAY' as const,
    quantity: '1',
    triggerPrice: trigger,
  });

  it('should keep SL-M where the broker accepts it, or when it declares no list', () => {
    expect(
      stopMarketFallback(request('BUY', 'NSE_EQ', '100'), { ...features, orderTypes: [...features.orderTypes] }, '2'),
    ).toEqual({
      request: request('BUY', 'NSE_EQ', '100'),
    });
    expect(
      stopMarketFallback(request('BUY', 'MCX_COMM', '100'), { orderTypes: [...features.orderTypes] }, '2').decision,
    ).toBeUndefined();
  });

  it('should send SL with the band beyond the trigger, rounded away from it to the tick', () => {
    const f = { ...features, orderTypes: [...features.orderTypes] };
    const buy = stopMarketFallback(request('BUY', 'MCX_COMM', '5432.1'), f, '1', '1');
    // 5432.1 x 1.01 = 5486.421 -> up to 5487
    expect(buy.request).toMatchObject({ type: 'SL', price: '5487', triggerPrice: '5432.1' });
    const sell = stopMarketFallback(request('SELL', 'MCX_COMM', '5432.1'), f, '1', '1');
    // 5432.1 x 0.99 = 5377.779 -> down to 5377
    expect(sell.request).toMatchObject({ type: 'SL', price: '5377' });
    expect(sell.decision).toMatchObject({ limitPrice: '5377', bandPercent: '1', tickSize: '1' });
  });
});
