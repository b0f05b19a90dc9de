import type { EntityManager } from '@mikro-orm/postgresql';

// Raw SQL on the entity manager's own connection: inside em.transactional() it runs in that transaction.
// (A bare getConnection().execute() takes another pooled connection; inside a transaction under load that
// starves the pool, every transaction waiting for a second connection.)
export function query<T>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return em.getConnection().execute<T[]>(sql, params, 'all', em.getTransactionContext());
}
