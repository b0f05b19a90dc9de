import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { TradingMutation } from '../../graphql/trading-mutation';
import { Strategy } from './strategy.entity';
import { StrategyTarget, StrategyTargetInput, StrategyTargetPatch } from './strategy-target.types';

// One strategy, many accounts: a strategy's fan-out targets
@Authorized()
@Resolver(() => Strategy)
export class StrategyTargetResolver {
  @FieldResolver(() => [StrategyTarget], {
    description: 'The other accounts its alerts are traded on (one execution per account and alert)',
  })
  targets(@Root() strategy: Strategy, @Ctx() ctx: GraphQLContext): Promise<StrategyTarget[]> {
    if (strategy.parentStrategy) return Promise.resolve([]);
    return ctx.services.strategyTargets.list(ctx.em, ctx.user!, strategy.id);
  }

  @TradingMutation()
  @Mutation(() => StrategyTarget, {
    description:
      "Trades the strategy's alerts on one more of your accounts (a connected broker account, or paper as a shadow)",
  })
  addStrategyTarget(
    @Arg('strategyId', () => ID) strategyId: string,
    @Arg('input') input: StrategyTargetInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<StrategyTarget> {
    return ctx.services.strategyTargets.add(ctx.em, ctx.user!, strategyId, input);
  }

  @TradingMutation()
  @Mutation(() => StrategyTarget)
  updateStrategyTarget(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: StrategyTargetPatch,
    @Ctx() ctx: GraphQLContext,
  ): Promise<StrategyTarget> {
    return ctx.services.strategyTargets.update(ctx.em, ctx.user!, id, input);
  }

  @TradingMutation()
  @Mutation(() => Boolean, { description: 'Stops trading on that account; refused while its position is open' })
  removeStrategyTarget(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return ctx.services.strategyTargets.remove(ctx.em, ctx.user!, id);
  }
}
