import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { TradingMutation } from '../../graphql/trading-mutation';
import { Execution } from '../executions/execution.entity';
import { DeadLetter } from './dead-letter.entity';

@Authorized()
@Resolver(() => DeadLetter)
export class DeadLetterResolver {
  @Query(() => [DeadLetter])
  deadLetters(@Ctx() ctx: GraphQLContext): Promise<DeadLetter[]> {
    return ctx.services.deadLetters.list(ctx.em, ctx.user!);
  }

  @TradingMutation()
  @Mutation(() => Execution)
  replayDeadLetter(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Execution> {
    return ctx.services.deadLetters.replay(ctx.em, ctx.user!, id);
  }
}
