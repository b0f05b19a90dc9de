import { Ctx, Extensions, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { ExecutionLeg } from './execution-leg.entity';
import { Execution } from './execution.entity';

// Execution.legs: the broker orders of an execution split at the exchange freeze limit ([] for a single order). Read
// only where asked for (the execution's page); whoever may see the execution may see its legs.
@Resolver(() => Execution)
export class ExecutionLegsResolver {
  @Extensions({ cost: { size: 10 } })
  @FieldResolver(() => [ExecutionLeg], {
    description: 'The broker orders of an execution above the exchange freeze limit, in the order sent; [] otherwise',
  })
  legs(@Root() execution: Execution, @Ctx() ctx: GraphQLContext): Promise<ExecutionLeg[]> {
    return ctx.em.find(ExecutionLeg, { execution: execution.id }, { orderBy: { leg: 'asc' } });
  }
}
