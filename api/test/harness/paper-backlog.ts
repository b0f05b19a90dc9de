import type { Client } from 'pg';
import { register } from './graphql-client';
import { createAndDeploy, Deployed, postAlert, subscribeEvents, uniqueKey, waitFor } from './pipeline';

// A paper position with a backlog (paper-backlog-batch, paper-batch-recovery): a trader's PAPER strategy on `symbol`,
// its execution events subscribed, and alerts the test queues behind the position's turn, held on its own connection
export type PaperBacklog = {
  strategy: Deployed;
  events: any[];
  // An alert of one unit at `price`, a new idempotency key each time
  alert(side: 'BUY' | 'SELL'): Record<string, unknown>;
  filled(): any[];
  // One filled order first: the venue and the api then know the position, so a backlog's fills take the batch write
  fillFirst(side: 'BUY' | 'SELL'): Promise<void>;
  // Posts the alerts in sequence (their arrival order is known) while the test holds the position's turn, so they
  // all queue behind it; the turn is then still held: release() gives it back. Returns the alerts' ids.
  queueBehindTurn(sides: Array<'BUY' | 'SELL'>): Promise<string[]>;
  release(): Promise<void>;
  dispose(): Promise<void>;
};

export async function paperBacklog(
  api: { url: string; port: number },
  db: Client,
  { email, symbol, price }: { email: string; symbol: string; price: number },
): Promise<PaperBacklog> {
  const trader = await register(api.url, email);
  const strategy = await createAndDeploy(api.url, trader.accessToken, { symbol, alertsPerMinute: 5000 });
  const sub = subscribeEvents(api.port, trader.accessToken, { s: strategy.id });
  await sub.ready;
  const key = `${strategy.id}|${symbol}|PAPER`;
  let held = false;
  const release = async () => {
    if (!held) return;
    held = false;
    await db.query('select pg_advisory_unlock(hashtextextended($1, 0))', [key]);
  };
  const alert = (side: 'BUY' | 'SELL') => ({
    secret: strategy.secret,
    idempotency_key: uniqueKey(),
    symbol,
    side,
    qty: 1,
    price,
  });
  const filled = () => sub.events.filter((e) => e.type === 'ORDER_FILLED');
  return {
    strategy,
    events: sub.events,
    alert,
    filled,
    async fillFirst(side) {
      const reply = await postAlert(api.url, alert(side));
      if (reply.status !== 202) throw new Error(`the first alert: ${reply.status} ${JSON.stringify(reply.body)}`);
      await waitFor(async () => filled().length === 1, 15_000, 'the first ORDER_FILLED');
    },
    async queueBehindTurn(sides) {
      await db.query('select pg_advisory_lock(hashtextextended($1, 0))', [key]);
      held = true;
      const ids: string[] = [];
      try {
        for (const side of sides) {
          const reply = await postAlert(api.url, alert(side));
          if (reply.status !== 202)
            throw new Error(`alert ${ids.length + 1}: ${reply.status} ${JSON.stringify(reply.body)}`);
          ids.push(reply.body.alert_id);
        }
      } catch (error) {
        await release();
        throw error;
      }
      return ids;
    },
    release,
    async dispose() {
      await release();
      await sub.client.dispose();
    },
  };
}

// The next statement inserting into `table` fails, once (a sequence is not rolled back with the failed statement).
// Returns how many times the trigger fired since.
export async function failNextInsertOnce(db: Client, name: string, table: string): Promise<() => Promise<number>> {
  await db.query(`create sequence ${name}`);
  await db.query(`create function ${name}() returns trigger language plpgsql as $$
    begin
      if nextval('${name}') = 1 then raise exception 'test: the insert into ${table} fails once'; end if;
      return null;
    end $$`);
  await db.query(`create trigger ${name} before insert on ${table} for each statement execute function ${name}()`);
  return async () => {
    const { rows } = await db.query<{ n: string }>(`select last_value as n from ${name}`);
    return Number(rows[0].n);
  };
}
