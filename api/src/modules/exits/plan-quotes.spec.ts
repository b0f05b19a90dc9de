import type { Sql } from '../../db/sql';
import type { BrokerRouter } from '../brokers/broker-route';
import type { BrokerRegistry } from '../brokers/plugin-registry';
import type { PlanRow } from './exit-plans.sql';
import { PlanQuotes } from './plan-quotes';

// A world whose instrument look-up waits until the test lets it answer, to release or close in between
function world() {
  let answer!: () => void;
  const lookedUp = new Promise<void>((resolve) => (answer = resolve));
  const subscribed: string[] = [];
  const unsubscribed: string[] = [];
  const sql = {
    query: async () => {
      await lookedUp;
      return [{ broker: 'live', broker_account_id: 'a1', exchange_segment: 'NSE_EQ', security_id: '2885' }];
    },
  } as unknown as Sql;
  const client = {
    subscribeQuotes: (refs: { symbol: string }[]) => {
      subscribed.push(refs[0].symbol);
      return () => unsubscribed.push(refs[0].symbol);
    },
  };
  const brokers = {
    has: () => true,
    plugin: () => ({ manifest: { has: { marketData: 'stream' } } }),
    client: async () => client,
  } as unknown as BrokerRegistry;
  const router = {
    routeFor: async () => ({ broker: 'live', accountId: 'a1', credentials: {}, credentialsVersion: 1 }),
  } as unknown as BrokerRouter;
  const quotes = new PlanQuotes(sql, brokers, router, async () => undefined);
  return { quotes, answer, subscribed, unsubscribed };
}

const plan = (id: string) =>
  ({
    id,
    mode: 'LIVE',
    entry_execution_id: `entry-${id}`,
    strategy_id: 's1',
    user_id: 'u1',
    ticker: 'RELIANCE',
    symbol: 'RELIANCE',
  }) as PlanRow;

describe('PlanQuotes.watch', () => {
  it('should subscribe once the look-ups answer', async () => {
    const w = world();
    const watching = w.quotes.watch(plan('p1'));
    w.answer();
    await watching;
    expect(w.subscribed).toEqual(['RELIANCE']);
    w.quotes.release('p1');
    expect(w.unsubscribed).toEqual(['RELIANCE']);
  });

  it('should not subscribe for a plan released while its look-ups were under way', async () => {
    const w = world();
    const watching = w.quotes.watch(plan('p1'));
    w.quotes.release('p1');
    w.answer();
    await watching;
    expect(w.subscribed).toEqual([]);
  });

  it('should not subscribe once closed (the exit plans stopped) while the look-ups were under way', async () => {
    const w = world();
    const watching = w.quotes.watch(plan('p1'));
    w.quotes.close();
    w.answer();
    await watching;
    expect(w.subscribed).toEqual([]);
    // Nor for a plan watched after the close
    await w.quotes.watch(plan('p2'));
    expect(w.subscribed).toEqual([]);
  });
});
