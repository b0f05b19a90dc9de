import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { TradingMutation } from '../../graphql/trading-mutation';
import type { GraphQLContext } from '../../graphql/context';
import { DecimalScalar } from '../../graphql/scalars/decimal.scalar';
import { TradingMode } from '../../shared/enums';
import { Execution } from '../executions/execution.entity';
import { Position } from './position.entity';
import { markedUnrealizedPnl } from './position.service';

@Resolver(() => Position)
export class PositionResolver {
  @Authorized()
  @Query(() => [Position], {
    description: 'Per-strategy positions (average cost); closed ones show qty 0 with their realized P&L',
  })
  positions(
    @Ctx() ctx: GraphQLContext,
    @Arg('mode', () => TradingMode, { nullable: true }) mode?: TradingMode,
  ): Promise<Position[]> {
    return ctx.services.positions.list(ctx.em, ctx.user!, mode);
  }

  @Authorized()
  @TradingMutation()
  @Mutation(() => Execution, {
    description:
      "Closes one of your open positions with an EXIT through the pipeline (an execution with source close, like the intraday square-off); allowed while the strategy is disabled or the kill switch is on, since it only reduces risk. The same requestId again returns the first close's execution",
  })
  closePosition(
    @Arg('strategyId', () => ID) strategyId: string,
    @Arg('symbol') symbol: string,
    @Arg('mode', () => TradingMode, {
      nullable: true,
      description: 'Needed only when the strategy holds the symbol in both modes',
    })
    mode: TradingMode | null,
    @Arg('requestId', () => String, {
      nullable: true,
      description: 'Any string up to 100 characters identifying this close request',
    })
    requestId: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Execution> {
    return ctx.services.positionCloses.close(ctx.em, ctx.user!, {
      strategyId,
      symbol,
      mode: mode ?? undefined,
      requestId: requestId ?? undefined,
    });
  }

  @FieldResolver(() => DecimalScalar)
  unrealizedPnl(@Root() position: Position): string {
    return markedUnrealizedPnl(position);
  }
}
