import { Pool, PoolClient } from 'pg';
import { Sql, sqlOn } from '../../../db/sql';

export type TurnPosition = { strategyId: string; symbol: string; mode: string };
/** The position as the previous holder of the turn left it (null revision: no row yet). */
export type PositionAtTurn = { qty: string; revision: number | null };

/** A position's turn, taken: `sql` runs statements inside it (the claim) on the turn's connection; `finish` runs the
 * attempt's last statement there, and that statement gives the turn back (finishAttempt with the key); `giveBack`
 * ends a turn that claimed nothing. */
export type HeldTurn = {
  position: PositionAtTurn;
  /** Given back (or its connection closed): it is no longer held */
  readonly released: boolean;
  sql: Sql;
  finish(work: (sql: Sql) => Promise<void>): Promise<void>;
  giveBack(): Promise<void>;
};

const TAKE = { name: 'take_position_turn', text: 'select qty, revision from take_position_turn($1, $2, $3, $4)' };
const GIVE_BACK = 'select pg_advisory_unlock(hashtextextended(?, 0))';

// A position's turn across api processes: a PostgreSQL session advisory lock on the position key, held on a
// connection of its own for the decision and the order (plan + place; a paper fill is recorded inside it), so
// alerts of one strategy and symbol are decided one after another whichever process received them. In-process, the
// FairScheduler's lane already orders them, so a process holds or waits for at most one lock per position, and at
// most EXECUTOR_CONCURRENCY connections here. It costs one statement per attempt: taking the turn (lock, then read
// the position); giving it back rides on the attempt's last statement (finishAttempt). The execution an attempt
// works on is claimed inside the turn (the position's oldest waiting one, claimNext), so whichever process holds the
// turn decides the position's alerts in arrival order. A turn that finds nothing to claim (another process took it)
// costs one more statement to give back. A process that dies loses its session, and PostgreSQL lets the lock go.
export class PositionTurns {
  private readonly pool: Pool;

  constructor(connectionString: string, max: number) {
    this.pool = new Pool({ connectionString, max });
    this.pool.on('error', () => undefined);
  }

  async take(key: string, position: TurnPosition): Promise<HeldTurn> {
    const client = await this.pool.connect();
    try {
      const {
        rows: [row],
      } = await client.query<{ qty: string; revision: number }>({
        ...TAKE,
        values: [key, position.strategyId, position.symbol, position.mode],
      });
      const turn = {
        position: row ? { qty: row.qty, revision: row.revision } : { qty: '0', revision: null },
        released: false,
        sql: sqlOn(client),
        finish: (work: (sql: Sql) => Promise<void>) => finish(client, work, () => (turn.released = true)),
        giveBack: () =>
          finish(
            client,
            (sql) => sql.query(GIVE_BACK, [key]).then(() => undefined),
            () => (turn.released = true),
          ),
      };
      return turn;
    } catch (error) {
      // It may hold the lock or not: closing the connection ends the session, and the lock with it
      client.release(true);
      throw error;
    }
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}

async function finish(client: PoolClient, work: (sql: Sql) => Promise<void>, released: () => void): Promise<void> {
  let gaveBack = false;
  try {
    const sql = sqlOn(client);
    await work({
      query: async <T>(text: string, params?: unknown[]) => {
        const rows = await sql.query<T>(text, params);
        gaveBack = true;
        return rows;
      },
    });
  } finally {
    // When the statement failed the session may still hold the lock: the connection is closed instead
    released();
    client.release(!gaveBack);
  }
}
