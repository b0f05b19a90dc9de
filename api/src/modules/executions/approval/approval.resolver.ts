import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../../graphql/context';
import { TradingMutation } from '../../../graphql/trading-mutation';
import { Execution } from '../execution.entity';

// The approval queue's answers (semi-automatic mode): the execution's owner only
@Authorized()
@Resolver(() => Execution)
export class ApprovalResolver {
  @TradingMutation()
  @Mutation(() => Execution, {
    description:
      "Approves an execution AWAITING_APPROVAL: the risk rules and the signal's age are checked again, then the order is placed. Approving twice places once",
  })
  approveExecution(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Execution> {
    return ctx.services.approvals.approve(ctx.user!.id, id);
  }

  @TradingMutation()
  @Mutation(() => Execution, {
    description: 'Rejects an execution AWAITING_APPROVAL (REJECTED, reason approval_rejected)',
  })
  rejectExecution(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: GraphQLContext,
    @Arg('reason', () => String, { nullable: true }) reason?: string,
  ): Promise<Execution> {
    return ctx.services.approvals.reject(ctx.user!.id, id, reason ?? undefined);
  }
}
