import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { ExecutionEventMessage } from './execution-event.types';
import { Execution } from './execution.entity';
import { ExecutionConnection, ExecutionFilter } from './execution.types';

@Authorized()
@Resolver(() => Execution)
export class ExecutionResolver {
  @Query(() => ExecutionConnection)
  executions(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => ExecutionFilter, { nullable: true }) filter?: ExecutionFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<ExecutionConnection> {
    return ctx.services.executionQueries.list(ctx.em, ctx.user!, filter ?? {}, first ?? 50, after ?? undefined);
  }

  @Query(() => Execution, { nullable: true })
  execution(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Execution | null> {
    return ctx.services.executionQueries.get(ctx.em, ctx.user!, id);
  }

  @FieldResolver(() => [ExecutionEventMessage])
  events(@Root() execution: Execution, @Ctx() ctx: GraphQLContext): Promise<ExecutionEventMessage[]> {
    return ctx.services.executionQueries.events(ctx.em, execution);
  }
}
