import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { BrokerPnlExit, BrokerPnlExitInput } from './broker-controls.types';

@Resolver()
export class BrokerControlsResolver {
  @Authorized()
  @Query(() => BrokerPnlExit, {
    nullable: true,
    description: "Today's P&L exit at the broker for your account; null when none is set",
  })
  brokerPnlExit(
    @Arg('broker') broker: string,
    @Ctx() ctx: GraphQLContext,
    @Arg('accountId', () => ID, { nullable: true, description: 'Which account (default: your first at the broker)' })
    accountId?: string,
  ): Promise<BrokerPnlExit | null> {
    return ctx.services.brokerControls.pnlExit(ctx.em, ctx.user!, broker, accountId);
  }

  @Authorized()
  @Mutation(() => BrokerPnlExit, {
    description:
      "Sets (or replaces) today's P&L exit at the broker: past the profit or the loss, the broker exits every position of those products",
  })
  setBrokerPnlExit(
    @Arg('input', () => BrokerPnlExitInput) input: BrokerPnlExitInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<BrokerPnlExit> {
    return ctx.services.brokerControls.setPnlExit(ctx.em, ctx.user!, input, ctx.ip);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: "Stops today's P&L exit at the broker" })
  stopBrokerPnlExit(
    @Arg('broker') broker: string,
    @Ctx() ctx: GraphQLContext,
    @Arg('accountId', () => ID, { nullable: true, description: 'Which account (default: your first at the broker)' })
    accountId?: string,
  ): Promise<boolean> {
    return ctx.services.brokerControls.stopPnlExit(ctx.em, ctx.user!, broker, ctx.ip, accountId);
  }
}
