import { Pool, PoolClient } from 'pg';
import { Sql, sqlOn } from '../../../db/sql';

export type TurnPosition = { strategyId: string; symbol: string; mode: string };
/** The position as the previous holder of the turn left it (null revision: no row yet). */
export type PositionAtTurn = { qty: string; revision: number | null };

/** A position's turn, taken: `finish` runs the attempt's last statement on the turn's connection, and that statement
 * gives the turn back (finishAttempt with the key). */
export type HeldTurn = { position: PositionAtTurn; finish(work: (sql: Sql) => Promise<void>): Promise<void> };

const TAKE = { name: 'take_position_turn', text: 'select qty, revision from take_position_turn($1, $2, $3, $4)' };

// A position's turn across api processes: a PostgreSQL session advisory lock on the position key, held on a
// connection of its own for the decision and the order (plan + place; a paper fill is recorded inside it), so
// alerts of one strategy and symbol are decided one after another whichever process received them. In-process, the
// FairScheduler's lane already orders them, so a process holds or waits for at most one lock per position, and at
// most EXECUTOR_CONCURRENCY connections here. It costs one statement per attempt: taking the turn (lock, then read
// the position); giving it back rides on the attempt's last statement (finishAttempt). A process that dies loses its
// session, and PostgreSQL lets the lock go with it.
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
      return {
        position: row ? { qty: row.qty, revision: row.revision } : { qty: '0', revision: null },
        finish: (work) => finish(client, work),
      };
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

async function finish(client: PoolClient, work: (sql: Sql) => Promise<void>): Promise<void> {
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
    client.release(!gaveBack);
  }
}
