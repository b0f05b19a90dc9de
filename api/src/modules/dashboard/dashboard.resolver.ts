import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { StrategyActivity, TodaySummary } from './dashboard.types';

@Authorized()
@Resolver()
export class DashboardResolver {
  @Query(() => TodaySummary, {
    description: 'Your trading today (IST) per mode, and alerts per minute over the last hour',
  })
  todaySummary(@Ctx() ctx: GraphQLContext): Promise<TodaySummary> {
    return ctx.services.dashboard.today(ctx.em, ctx.user!);
  }

  @Query(() => [StrategyActivity], {
    description: "Today's P&L and the last alert of each of your strategies (admins: all)",
  })
  strategyActivity(@Ctx() ctx: GraphQLContext): Promise<StrategyActivity[]> {
    return ctx.services.dashboard.strategyActivity(ctx.em, ctx.user!);
  }
}
