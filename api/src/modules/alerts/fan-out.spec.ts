import { TradingMode } from '../../shared/enums';
import type { StrategySnapshot } from '../strategies/strategy-snapshot';
import type { AlertSignal } from './alert-signal';
import { targetSignal } from './fan-out';
import { strategyStub } from './strategy-stub.spec-helper';

const target = (multiplier: string | undefined, qty = '2'): StrategySnapshot =>
  strategyStub({
    id: 't1',
    name: 'Nifty → acme',
    symbol: 'NIFTY',
    exchangeSegment: 'NSE_FNO',
    qty,
    mode: TradingMode.LIVE,
    parentStrategyId: 'p1',
    fanOutMultiplier: multiplier,
  });
const signal = (fields: Partial<AlertSignal>): AlertSignal => ({
  secret: 's',
  idempotencyKey: 'k',
  side: 'BUY',
  orderType: 'MARKET',
  ...fields,
});

// Quantities count whole lots (F&O) or shares: a multiplier scales them and rounds down, never up
describe('a fan-out target’s share of an alert', () => {
  it('should scale the alert’s lots and round down to whole lots', () => {
    expect(targetSignal(target('0.5'), signal({ qty: '3' }))!.signal.qty).toBe('1');
    expect(targetSignal(target('2'), signal({ qty: '3' }))!.signal.qty).toBe('6');
    expect(targetSignal(target('1.5'), signal({ qty: '3' }))!.signal.qty).toBe('4');
    expect(targetSignal(target(undefined), signal({ qty: '3' }))!.signal.qty).toBe('3');
  });

  it('should scale the strategy’s default quantity when the alert has none', () => {
    const planned = targetSignal(target('1.5', '3'), signal({}))!;
    expect(planned.strategy.qty).toBe('4');
    expect(planned.signal.qty).toBeUndefined();
    expect(planned.refusal).toBeUndefined();
  });

  it('should refuse an entry that rounds down to nothing (size_too_small), and skip a 0 multiplier entirely', () => {
    expect(targetSignal(target('0.4'), signal({ qty: '2' }))!.refusal).toMatchObject({ reason: 'size_too_small' });
    expect(targetSignal(target('0.4', '1'), signal({}))!.refusal).toMatchObject({ reason: 'size_too_small' });
    expect(targetSignal(target('0'), signal({ qty: '5' }))).toBeNull();
  });

  it('should let an EXIT without quantity close the whole position, and scale TradingView’s position size', () => {
    const exit = targetSignal(target('0.4'), signal({ side: 'EXIT' }))!;
    expect(exit.signal.qty).toBeUndefined();
    expect(exit.refusal).toBeUndefined();
    const toward = targetSignal(
      target('0.5'),
      signal({ side: 'BUY', qty: '1', marketPosition: 'long', positionSize: '5', prevPositionSize: '3' }),
    )!;
    expect(toward.signal).toMatchObject({ qty: '0', positionSize: '2', prevPositionSize: '1' });
    // Sized by its target position, not refused for the rounded quantity
    expect(toward.refusal).toBeUndefined();
  });
});
