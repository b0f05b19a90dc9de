import type { Sql } from '../../db/sql';
import type { ExecutionEventsService } from '../executions/execution-events.service';
import type { PrecheckDeps } from '../risk/alert-precheck';
import type { StrategyCache, StrategySnapshot } from '../strategies/strategy-snapshot';
import { AlertIntakeService } from './alert-intake.service';
import { strategyStub } from './strategy-stub.spec-helper';

const strategy = (id: string, fields: Partial<StrategySnapshot> = {}): StrategySnapshot =>
  strategyStub({ id, name: id, ...fields });

// Exit plans hear an alert's price for the strategy and its fan-out targets, in one observe (one plans query)
describe('observePrice', () => {
  const setup = (targets: StrategySnapshot[] | Error) => {
    const cache = {
      targetsOf: jest.fn(async () => {
        if (targets instanceof Error) throw targets;
        return targets;
      }),
    };
    const intake = new AlertIntakeService(
      {} as ExecutionEventsService,
      {} as PrecheckDeps,
      cache as unknown as StrategyCache,
      {} as Sql,
    );
    const observe = jest.fn(async () => 0);
    intake.prices = { observe };
    return { intake, observe, cache };
  };

  it('should judge the strategy and its targets together', async () => {
    const { intake, observe } = setup([strategy('t1'), strategy('t2')]);
    await intake.observePrice(strategy('p'), 'TCS', '4000');
    expect(observe.mock.calls).toEqual([[['p', 't1', 't2'], 'TCS', '4000']]);
  });

  it('should judge a strategy without targets alone', async () => {
    const { intake, observe } = setup([]);
    await intake.observePrice(strategy('p'), 'TCS', '4000');
    expect(observe.mock.calls).toEqual([[['p'], 'TCS', '4000']]);
  });

  it('should leave out the strategies for which the price is too old', async () => {
    const { intake, observe } = setup([strategy('t1', { maxSignalAgeSeconds: 5 }), strategy('t2')]);
    const firedAt = new Date(Date.now() - 60_000).toISOString();
    await intake.observePrice(strategy('p', { maxSignalAgeSeconds: 5 }), 'TCS', '4000', firedAt);
    expect(observe.mock.calls).toEqual([[['t2'], 'TCS', '4000']]);
    // None fresh: no plans read at all
    const { intake: allStale, observe: none } = setup([strategy('t1', { maxSignalAgeSeconds: 5 })]);
    await allStale.observePrice(strategy('p', { maxSignalAgeSeconds: 5 }), 'TCS', '4000', firedAt);
    expect(none).not.toHaveBeenCalled();
  });

  it('should never fail the alert when the targets cannot be read', async () => {
    const { intake, observe } = setup(new Error('db down'));
    await expect(intake.observePrice(strategy('p'), 'TCS', '4000')).resolves.toBeUndefined();
    expect(observe).not.toHaveBeenCalled();
  });
});
