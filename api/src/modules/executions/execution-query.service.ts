import { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { afterRow, decodeCursor, encodeCursor } from '../../db/keyset';
import { badInput } from '../../shared/app-error';
import { Role } from '../../shared/enums';
import { assertId } from '../../shared/ids';
import { istDayRange } from '../../shared/ist';
import { User } from '../users/user.entity';
import { ExecutionEventMessage } from './execution-event.types';
import { ExecutionEvent } from './execution-event.entity';
import { Execution } from './execution.entity';
import { toMessage } from './execution-events.service';
import { ExecutionConnection, ExecutionFilter } from './execution.types';

const MAX_PAGE = 200;

export function executionScope(user: User): FilterQuery<Execution> {
  return user.role === Role.ADMIN ? {} : { user: user.id };
}

export class ExecutionQueryService {
  async list(
    em: EntityManager,
    user: User,
    filter: ExecutionFilter = {},
    first = 50,
    after?: string,
  ): Promise<ExecutionConnection> {
    if (first < 1 || first > MAX_PAGE)
      throw badInput(`first must be between 1 and ${MAX_PAGE}`, [{ path: 'first', message: `1..${MAX_PAGE}` }]);
    const where: FilterQuery<Execution>[] = [executionScope(user)];
    if (filter.strategyId) where.push({ strategy: assertId(filter.strategyId, 'strategyId') });
    if (filter.symbol) where.push({ symbol: filter.symbol.toUpperCase() });
    if (filter.status) where.push({ status: filter.status });
    if (filter.mode) where.push({ mode: filter.mode });
    if (filter.from) where.push({ createdAt: { $gte: istDayRange(filter.from).start } });
    if (filter.to) where.push({ createdAt: { $lt: istDayRange(filter.to).end } });
    const totalCount = await em.count(Execution, { $and: where });
    if (after) where.push(afterRow('executions', decodeCursor(after)));
    const rows = await em.find(
      Execution,
      { $and: where },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: first + 1 },
    );
    const page = rows.slice(0, first);
    return {
      edges: page.map((node) => ({ cursor: encodeCursor(node.id), node })),
      pageInfo: {
        hasNextPage: rows.length > first,
        endCursor: page.length ? encodeCursor(page[page.length - 1].id) : null,
      },
      totalCount,
    };
  }

  async get(em: EntityManager, user: User, id: string): Promise<Execution | null> {
    return em.findOne(Execution, { $and: [executionScope(user), { id: assertId(id) }] });
  }

  // The events of many executions in one statement; built once per request (see graphql/per-request.ts)
  eventsLoader(em: EntityManager): DataLoader<Execution, ExecutionEventMessage[], string> {
    return new DataLoader(
      async (executions: readonly Execution[]) => {
        const rows = await em.find(
          ExecutionEvent,
          { execution: { $in: executions.map((e) => e.id) } },
          { orderBy: { at: 'asc', createdAt: 'asc' } },
        );
        const byExecution = new Map<string, ExecutionEvent[]>();
        for (const row of rows) {
          const list = byExecution.get(row.execution.id);
          if (list) list.push(row);
          else byExecution.set(row.execution.id, [row]);
        }
        return executions.map((e) => (byExecution.get(e.id) ?? []).map((row) => toMessage(row, e.user.id)));
      },
      { cacheKeyFn: (e) => e.id },
    );
  }
}
