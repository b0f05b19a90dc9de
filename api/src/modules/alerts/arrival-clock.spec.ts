import { ArrivalClock } from './arrival-clock';

describe('ArrivalClock', () => {
  it('should hold back only the positions an insert in flight has rows of, until it settles', async () => {
    const clock = new ArrivalClock();
    const [first] = clock.stamp(1);
    let settle!: () => void;
    const insert = clock.track(
      first,
      () => new Promise<void>((resolve) => (settle = resolve)),
      new Set(['a|INFY|PAPER']),
    );
    // A batch with no positions named holds back every one
    let settleAll!: () => void;
    const [later] = clock.stamp(1);
    const all = clock.track(later, () => new Promise<void>((resolve) => (settleAll = resolve)));

    expect(clock.oldestUnsettled('a|INFY|PAPER')).toBe(first);
    expect(clock.oldestUnsettled('b|TCS|PAPER')).toBe(later);
    expect(clock.oldestUnsettled()).toBe(first);
    settleAll();
    await all;
    // Another strategy's position is not held back by this slow insert
    expect(clock.oldestUnsettled('b|TCS|PAPER')).toBeNull();
    expect(clock.oldestUnsettled('a|INFY|PAPER')).toBe(first);
    settle();
    await insert;
    expect(clock.oldestUnsettled('a|INFY|PAPER')).toBeNull();
    expect(clock.oldestUnsettled()).toBeNull();
  });
});
