import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { Role } from '../../shared/enums';
import { BrokerAccount } from './broker-account.entity';
import { BrokerAccountDetails } from './broker-account-details.types';
import { ConnectBrokerInput } from './broker-account.types';

@Resolver(() => BrokerAccount)
export class BrokerAccountResolver {
  @Authorized()
  @Mutation(() => BrokerAccount, {
    description:
      'Verifies the credentials with the broker, then stores them encrypted (connecting again replaces the token; a new label adds another account at the broker)',
  })
  async connectBroker(
    @Arg('input', () => ConnectBrokerInput) input: ConnectBrokerInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<BrokerAccount> {
    const account = await ctx.services.brokerAccounts.connect(ctx.em, ctx.user!, input, ctx.ip);
    // A new token (or a fixed static IP) is checked again on the next alert
    ctx.services.readiness.forget(ctx.user!.id, account.broker);
    return account;
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description: 'Forgets the access token of your account at this broker; false when there is none',
  })
  disconnectBroker(
    @Arg('broker') broker: string,
    @Ctx() ctx: GraphQLContext,
    @Arg('accountId', () => ID, { nullable: true, description: 'Which account (default: your first at the broker)' })
    accountId?: string,
  ): Promise<boolean> {
    return ctx.services.brokerAccounts.disconnect(ctx.em, ctx.user!, broker, ctx.ip, accountId);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => Boolean, { description: "Admin: clears a user's broker access token (audited)" })
  resetBrokerToken(
    @Arg('userId', () => ID) userId: string,
    @Arg('broker') broker: string,
    @Ctx() ctx: GraphQLContext,
    @Arg('accountId', () => ID, { nullable: true, description: 'Only this account (default: all at the broker)' })
    accountId?: string,
  ): Promise<boolean> {
    return ctx.services.brokerAccounts.resetToken(ctx.em, ctx.user!, userId, broker, ctx.ip, accountId);
  }

  @Authorized()
  @Query(() => [BrokerAccount], { description: 'Your broker accounts (admins: all)' })
  brokerAccounts(@Ctx() ctx: GraphQLContext): Promise<BrokerAccount[]> {
    return ctx.services.brokerAccounts.list(ctx.em, ctx.user!);
  }

  @Authorized()
  @Query(() => BrokerAccountDetails, {
    nullable: true,
    description:
      'Your account at this broker as the broker reports it now (profile, funds, holdings, positions); null when you never connected it. A refused token marks the account EXPIRED',
  })
  brokerAccountDetails(
    @Arg('broker') broker: string,
    @Ctx() ctx: GraphQLContext,
    @Arg('accountId', () => ID, { nullable: true, description: 'Which account (default: your first at the broker)' })
    accountId?: string,
  ): Promise<BrokerAccountDetails | null> {
    return ctx.services.brokerReads.details(ctx.em, ctx.user!, broker, accountId);
  }
}
