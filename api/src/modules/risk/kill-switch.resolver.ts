import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { Role } from '../../shared/enums';

@Resolver()
export class KillSwitchResolver {
  @Authorized(Role.ADMIN)
  @Mutation(() => Boolean, { description: 'On: new alerts are rejected (kill_switch) and open orders are cancelled' })
  setKillSwitch(@Arg('enabled') enabled: boolean, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return ctx.services.killSwitchControl.set(ctx.em, ctx.user!, enabled, ctx.ip);
  }

  @Authorized()
  @Query(() => Boolean, { description: 'Whether the global kill switch is on' })
  killSwitch(@Ctx() ctx: GraphQLContext): Promise<boolean> {
    return ctx.services.killSwitch.isOn();
  }
}
