import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { BrokerAccount } from './broker-account.entity';
import { BrokerAutoLoginInput } from './broker-account-settings';

@Resolver()
export class BrokerSessionResolver {
  @Authorized()
  @Mutation(() => BrokerAccount, {
    description:
      'Opt-in: the platform logs in to this broker with your PIN + TOTP secret when the token is about to expire (stored encrypted). Whoever holds the server and its keys can then trade your account',
  })
  enableBrokerAutoLogin(
    @Arg('input', () => BrokerAutoLoginInput) input: BrokerAutoLoginInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<BrokerAccount> {
    return ctx.services.brokerSettings.enableAutoLogin(ctx.em, ctx.user!, input, ctx.ip);
  }

  @Authorized()
  @Mutation(() => BrokerAccount, { description: 'Turns automatic login off and forgets the PIN and TOTP secret' })
  disableBrokerAutoLogin(
    @Arg('broker') broker: string,
    @Ctx() ctx: GraphQLContext,
    @Arg('accountId', () => ID, { nullable: true, description: 'Which account (default: your first at the broker)' })
    accountId?: string,
  ): Promise<BrokerAccount> {
    return ctx.services.brokerSettings.disableAutoLogin(ctx.em, ctx.user!, broker, ctx.ip, accountId);
  }

  @Authorized()
  @Mutation(() => BrokerAccount, {
    description:
      "Whether the platform kill switch also activates this account's own kill switch at the broker (no orders for the rest of the day)",
  })
  setBrokerKillSwitchLink(
    @Arg('broker') broker: string,
    @Arg('enabled') enabled: boolean,
    @Ctx() ctx: GraphQLContext,
    @Arg('accountId', () => ID, { nullable: true, description: 'Which account (default: your first at the broker)' })
    accountId?: string,
  ): Promise<BrokerAccount> {
    return ctx.services.brokerSettings.linkKillSwitch(ctx.em, ctx.user!, broker, enabled, ctx.ip, accountId);
  }
}
