import type { Sql } from '../../db/sql';
import { OpenPlans } from './open-plans';

// A database whose answers the test releases by hand, counting the reads
function heldDatabase(open: boolean) {
  const waiting: Array<() => void> = [];
  let reads = 0;
  const sql: Sql = {
    query: <T>() => {
      reads += 1;
      return new Promise<T[]>((resolve) => waiting.push(() => resolve([{ open } as T])));
    },
  };
  const answerAll = () => waiting.splice(0).forEach((answer) => answer());
  return { sql, answerAll, reads: () => reads };
}

describe('OpenPlans: whether a strategy may have an open exit plan', () => {
  it('should read once for a burst that misses together', async () => {
    const db = heldDatabase(false);
    const plans = new OpenPlans(db.sql);
    const answers = Promise.all(Array.from({ length: 10 }, () => plans.mayHaveOpen('s1')));
    db.answerAll();
    expect(await answers).toEqual(Array(10).fill(false));
    expect(db.reads()).toBe(1);
    // and serves the next from memory
    expect(await plans.mayHaveOpen('s1')).toBe(false);
    expect(db.reads()).toBe(1);
  });

  it('should read again for a caller that comes after a change, even while the earlier read is out', async () => {
    const db = heldDatabase(true);
    const plans = new OpenPlans(db.sql);
    const before = plans.mayHaveOpen('s1');
    plans.changed('s1');
    const after = plans.mayHaveOpen('s1');
    expect(db.reads()).toBe(2);
    db.answerAll();
    expect([await before, await after]).toEqual([true, true]);
  });

  it('should read each strategy for itself', async () => {
    const db = heldDatabase(false);
    const plans = new OpenPlans(db.sql);
    const answers = Promise.all([plans.mayHaveOpen('s1'), plans.mayHaveOpen('s2')]);
    db.answerAll();
    await answers;
    expect(db.reads()).toBe(2);
  });
});
