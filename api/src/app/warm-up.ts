import type { ApolloServer } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/core';
import type { PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { GraphQLContext } from '../graphql/context';
import { User } from '../modules/users/user.entity';
import { UserStatus } from '../shared/enums';
import { logger } from '../shared/logger';
import type { Services } from './services';

// The dashboard's most asked for (the executions page, Home): one page of executions with their count, the
// strategies. Read-only.
const WARM_UP_QUERY = `query WarmUp {
  executions(first: 25) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id strategyId symbol side qty filledQty avgFillPrice charges pnl status mode orderType
      source rejectReason lastError createdAt updatedAt } }
  }
  strategies { id name mode enabled }
}`;

const WARM_UP_MS = 5000;
const CONNECTIONS = 4;

// The first dashboard page after an api restart took 864 ms where the next took a tenth of that: the first GraphQL
// request of a process ran through code V8 had not compiled yet (Apollo's pipeline, validation, type-graphql's
// resolvers, MikroORM's query building and hydration) and waited for the ORM's pool (min 0) to open connections.
// Before the api says it is ready, one read-only operation as an existing user goes through Apollo in-process, on
// connections opened for it; an access token that is no token goes through the authenticator. Never fails or
// holds the start up for long: a cold first request is the worst outcome.
export async function warmUp(
  apollo: ApolloServer<GraphQLContext>,
  orm: MikroORM<PostgreSqlDriver>,
  services: Services,
): Promise<void> {
  const started = Date.now();
  const work = (async () => {
    const em = orm.em.fork();
    const connections = Math.min(CONNECTIONS, services.config.DB_POOL_MAX ?? CONNECTIONS);
    await Promise.all(Array.from({ length: connections }, () => em.getConnection().execute('select 1')));
    await services.authenticator.authenticate(em, 'Bearer warm-up');
    const user = await em.findOne(User, { status: UserStatus.ACTIVE }, { orderBy: { createdAt: 'asc' } });
    if (!user) return;
    const result = await apollo.executeOperation(
      { query: WARM_UP_QUERY },
      { contextValue: { em: orm.em.fork(), services, ip: '127.0.0.1', correlationId: 'warm-up', user } },
    );
    if (result.body.kind === 'single' && result.body.singleResult.errors?.length)
      logger.warn('warm-up query failed', { errors: result.body.singleResult.errors.map((e) => e.message) });
  })();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), WARM_UP_MS);
  });
  try {
    const outcome = await Promise.race([work, late]);
    logger.info(outcome === 'late' ? 'warm-up still running, ready anyway' : 'warmed up', {
      ms: Date.now() - started,
    });
  } catch (error) {
    logger.warn('warm-up failed; the first request may be slower', { error: (error as Error).message });
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined);
  }
}
