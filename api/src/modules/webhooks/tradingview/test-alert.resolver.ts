import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { TradingMutation } from '../../../graphql/trading-mutation';
import type { GraphQLContext } from '../../../graphql/context';
import { DecimalScalar } from '../../../graphql/scalars/decimal.scalar';
import { OrderSide } from '../../../shared/enums';
import { TestAlertResult } from './test-alert.types';

@Authorized()
@Resolver()
export class TestAlertResolver {
  @TradingMutation()
  @Mutation(() => TestAlertResult, {
    description:
      "Sends your strategy a sample alert through the webhook's intake, marked as a test, and returns the webhook's answer. PAPER: it is recorded and fills like a TradingView alert (source test_alert). LIVE: a dry run, checked and answered but never recorded or ordered",
  })
  sendTestAlert(
    @Arg('strategyId', () => ID) strategyId: string,
    @Arg('side', () => OrderSide, { defaultValue: OrderSide.BUY }) side: OrderSide,
    @Arg('price', () => DecimalScalar, {
      nullable: true,
      description: "The alert's price; default the latest known price of the symbol",
    })
    price: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<TestAlertResult> {
    return ctx.services.testAlerts.send(ctx.em, ctx.user!, { strategyId, side, price: price ?? undefined }, ctx.ip);
  }
}
