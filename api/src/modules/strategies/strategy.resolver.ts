import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { TradingMutation } from '../../graphql/trading-mutation';
import { Deployment, DeploymentPreview } from './deployment.types';
import { Strategy } from './strategy.entity';
import { StrategyInput, StrategyPatch } from './strategy.types';

@Authorized()
@Resolver(() => Strategy)
export class StrategyResolver {
  @Query(() => [Strategy])
  strategies(@Ctx() ctx: GraphQLContext): Promise<Strategy[]> {
    return ctx.services.strategies.list(ctx.em, ctx.user!);
  }

  @Query(() => Strategy, { nullable: true })
  strategy(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Strategy | null> {
    return ctx.services.strategies.find(ctx.em, ctx.user!, id);
  }

  @TradingMutation()
  @Mutation(() => Strategy)
  createStrategy(@Arg('input') input: StrategyInput, @Ctx() ctx: GraphQLContext): Promise<Strategy> {
    return ctx.services.strategies.create(ctx.em, ctx.user!, input);
  }

  @TradingMutation()
  @Mutation(() => Strategy)
  updateStrategy(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: StrategyPatch,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Strategy> {
    return ctx.services.strategies.update(ctx.em, ctx.user!, id, input);
  }

  @TradingMutation()
  @Mutation(() => Boolean)
  deleteStrategy(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return ctx.services.strategies.remove(ctx.em, ctx.user!, id);
  }

  @TradingMutation()
  @Mutation(() => Strategy)
  cloneStrategy(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Strategy> {
    return ctx.services.strategies.clone(ctx.em, ctx.user!, id);
  }

  @TradingMutation()
  @Mutation(() => Strategy)
  toggleStrategy(
    @Arg('id', () => ID) id: string,
    @Arg('enabled') enabled: boolean,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Strategy> {
    return ctx.services.strategies.toggle(ctx.em, ctx.user!, id, enabled);
  }

  @TradingMutation()
  @Mutation(() => Deployment, {
    description: 'Issues (or rotates) the webhook secret; the secret is shown only in this answer',
  })
  deployStrategy(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Deployment> {
    return ctx.services.deployments.deploy(ctx.em, ctx.user!, id);
  }

  @FieldResolver(() => DeploymentPreview, {
    nullable: true,
    description: 'The webhook and alert message to show again, secret masked; null when not deployed',
  })
  deployment(@Root() strategy: Strategy, @Ctx() ctx: GraphQLContext): DeploymentPreview | null {
    return ctx.services.deployments.preview(strategy);
  }
}
