import { Arg, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { Role, TradingMode } from '../../shared/enums';
import { Position } from './position.entity';

@Resolver(() => Position)
export class PositionResolver {
  @Authorized()
  @Query(() => [Position], { description: 'Per-strategy positions (average cost); closed ones show qty 0 with their realized P&L' })
  positions(@Ctx() ctx: GraphQLContext, @Arg('mode', () => TradingMode, { nullable: true }) mode?: TradingMode): Promise<Position[]> {
    const scope = ctx.user!.role === Role.ADMIN ? {} : { strategy: { user: ctx.user!.id } };
    return ctx.em.find(Position, { ...scope, ...(mode && { mode }) }, { orderBy: { updatedAt: 'desc' } });
  }
}
