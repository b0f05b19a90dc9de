import { initialLevels, stepLevels } from './exit-levels';

const pts = (value: string) => ({ kind: 'points' as const, value });
const pct = (value: string) => ({ kind: 'percent' as const, value });
const price = (value: string) => ({ kind: 'price' as const, value });
const now = new Date('2026-12-01T04:00:00Z');

// An emulated plan's levels from the entry's fill price (exit-plan.service.ts)
describe('initialLevels', () => {
  it('a long: stop below, target and breakeven above, the trail as it is, exit_after from now', () => {
    expect(
      initialLevels(
        {
          stopLoss: pts('10'),
          takeProfit: pct('1'),
          trailingStop: pts('20'),
          breakevenAt: pts('5'),
          exitAfterMinutes: 30,
        },
        'LONG',
        '2500',
        now,
      ),
    ).toEqual({
      side: 'LONG',
      entryPrice: '2500',
      stopPrice: '2490',
      stopOrigin: 'stop_loss',
      takeProfitPrice: '2525',
      trail: pts('20'),
      bestPrice: '2500',
      breakevenPrice: '2505',
      breakevenDone: false,
      expiresAt: new Date('2026-12-01T04:30:00Z'),
    });
  });

  it('a short mirrors it; a trail tighter than the stop starts it', () => {
    expect(
      initialLevels({ stopLoss: pct('1'), takeProfit: price('2400'), trailingStop: pts('8') }, 'SHORT', '2500', now),
    ).toMatchObject({
      stopPrice: '2508',
      stopOrigin: 'trailing_stop',
      takeProfitPrice: '2400',
      breakevenPrice: null,
      expiresAt: null,
    });
  });

  it('levels are not rounded to a tick (4 dp, as the table stores them)', () => {
    expect(initialLevels({ stopLoss: pct('0.3'), takeProfit: pct('0.7') }, 'LONG', '101.03', now)).toMatchObject({
      stopPrice: '100.7269',
      takeProfitPrice: '101.7372',
    });
  });
});

describe('stepLevels', () => {
  const long = initialLevels(
    { stopLoss: pts('10'), takeProfit: pts('30'), trailingStop: pts('15') },
    'LONG',
    '2500',
    now,
  );

  it('the trail follows a new best price, never backwards', () => {
    const up = stepLevels(long, '2520');
    expect(up.levels).toMatchObject({ stopPrice: '2505', stopOrigin: 'trailing_stop', bestPrice: '2520' });
    expect(stepLevels(up.levels, '2510').levels.stopPrice).toBe('2505');
  });

  it('a crossed stop or target is one exit', () => {
    expect(stepLevels(long, '2490').trigger).toEqual({ reason: 'stop_loss', level: '2490' });
    expect(stepLevels(long, '2531').trigger).toEqual({ reason: 'take_profit', level: '2530' });
  });
});
