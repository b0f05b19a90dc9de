import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { Role } from '../../shared/enums';
import { AccountReadiness } from './broker-readiness.types';

@Resolver()
export class BrokerReadinessResolver {
  @Authorized()
  @Query(() => [AccountReadiness], {
    description:
      "Pre-open readiness, checked now, of each broker account your enabled LIVE strategies use (admins: everyone's): token past today's session end, static IP, instrument master, trading day",
  })
  brokerReadiness(@Ctx() ctx: GraphQLContext): Promise<AccountReadiness[]> {
    return ctx.services.readiness.reports(ctx.user!.role === Role.ADMIN ? undefined : ctx.user!.id);
  }
}
