import { Arg, Authorized, Ctx, Extensions, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { perRequest } from '../../graphql/per-request';
import { ExecutionEventMessage } from './execution-event.types';
import { Execution } from './execution.entity';
import { ExecutionConnection, ExecutionFilter } from './execution.types';

const DEFAULT_PAGE = 50;

@Authorized()
@Resolver(() => Execution)
export class ExecutionResolver {
  @Extensions({ cost: { sizeArg: 'first', size: DEFAULT_PAGE } })
  @Query(() => ExecutionConnection)
  executions(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => ExecutionFilter, { nullable: true }) filter?: ExecutionFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<ExecutionConnection> {
    return ctx.services.executionQueries.list(
      ctx.em,
      ctx.user!,
      filter ?? {},
      first ?? DEFAULT_PAGE,
      after ?? undefined,
    );
  }

  @Query(() => Execution, { nullable: true })
  execution(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Execution | null> {
    return ctx.services.executionQueries.get(ctx.em, ctx.user!, id);
  }

  // One statement for the events of every execution in the answer (batched per request), priced as 10 each
  @Extensions({ cost: { size: 10 } })
  @FieldResolver(() => [ExecutionEventMessage])
  events(@Root() execution: Execution, @Ctx() ctx: GraphQLContext): Promise<ExecutionEventMessage[]> {
    return perRequest(ctx, 'executionEvents', () => ctx.services.executionQueries.eventsLoader(ctx.em)).load(execution);
  }
}
