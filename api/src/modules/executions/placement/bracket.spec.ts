import { bracketLevels } from './bracket';

const pts = (value: string) => ({ kind: 'points' as const, value });
const pct = (value: string) => ({ kind: 'percent' as const, value });
const price = (value: string) => ({ kind: 'price' as const, value });

// A native bracket's levels (issue 18): measured from the alert's price, the target and the stop on the tick AWAY
// from the price, the trail's jump on the nearest tick (at least one)
describe('bracketLevels', () => {
  it('a buy: target 1% above, stop 10 points below, trail 20 points (looser than the stop) as the jump', () => {
    expect(
      bracketLevels({ takeProfit: pct('1'), stopLoss: pts('10'), trailingStop: pts('20') }, 'BUY', '2500'),
    ).toEqual({ targetPrice: '2525', stopLossPrice: '2490', trailingJump: '20' });
  });

  it('a sell mirrors it', () => {
    expect(bracketLevels({ takeProfit: pct('1'), stopLoss: pts('10') }, 'SELL', '2500')).toEqual({
      targetPrice: '2475',
      stopLossPrice: '2510',
    });
  });

  it('rounds the target and the stop to the tick away from the price (never tighter)', () => {
    // 2500.03 + 1% = 2525.0303 -> 2525.05; 2500.03 - 10 = 2490.03 -> 2490
    expect(bracketLevels({ takeProfit: pct('1'), stopLoss: pts('10') }, 'BUY', '2500.03', '0.05')).toEqual({
      targetPrice: '2525.05',
      stopLossPrice: '2490',
    });
    // A sell: 2500.03 - 1% = 2475.0297 -> 2475; 2500.03 + 10 = 2510.03 -> 2510.05
    expect(bracketLevels({ takeProfit: pct('1'), stopLoss: pts('10') }, 'SELL', '2500.03', '0.05')).toEqual({
      targetPrice: '2475',
      stopLossPrice: '2510.05',
    });
    // Another tick size: 101 + 0.7% = 101.707 -> 101.75; 101 - 0.3% = 100.697 -> 100.5
    expect(bracketLevels({ takeProfit: pct('0.7'), stopLoss: pct('0.3') }, 'BUY', '101', '0.25')).toEqual({
      targetPrice: '101.75',
      stopLossPrice: '100.5',
    });
  });

  it('a trail tighter than the stop (or without one) starts the stop; its jump goes to the nearest tick, at least one', () => {
    expect(
      bracketLevels({ takeProfit: pts('30'), stopLoss: pts('20'), trailingStop: pts('7.33') }, 'BUY', '2500'),
    ).toEqual({
      targetPrice: '2530',
      stopLossPrice: '2492.65',
      trailingJump: '7.35',
    });
    expect(bracketLevels({ takeProfit: pts('30'), trailingStop: pct('0.001') }, 'SELL', '2500')).toEqual({
      targetPrice: '2470',
      stopLossPrice: '2500.05',
      trailingJump: '0.05',
    });
  });

  it('price levels are taken as they are (on the tick)', () => {
    expect(bracketLevels({ takeProfit: price('2540'), stopLoss: price('2480.02') }, 'BUY', '2500')).toEqual({
      targetPrice: '2540',
      stopLossPrice: '2480',
    });
  });

  it('levels that do not fit around the price: none', () => {
    // A target below a buy's price, a stop at or below zero, no stop at all
    expect(bracketLevels({ takeProfit: price('2490'), stopLoss: pts('10') }, 'BUY', '2500')).toBeNull();
    expect(bracketLevels({ takeProfit: pts('10'), stopLoss: pts('30') }, 'BUY', '20')).toBeNull();
    expect(bracketLevels({ takeProfit: pts('10') }, 'BUY', '2500')).toBeNull();
    // A sell's target at or below zero
    expect(bracketLevels({ takeProfit: pts('30'), stopLoss: pts('5') }, 'SELL', '20')).toBeNull();
  });
});
