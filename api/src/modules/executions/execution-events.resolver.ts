import { Arg, Authorized, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { TOPICS } from '../../graphql/pubsub';
import { Role } from '../../shared/enums';
import { ExecutionEventMessage } from './execution-event.types';

type FilterArgs = { payload: ExecutionEventMessage; args: { strategyId?: string | null }; context: GraphQLContext };

// A user hears only events of their own strategies; admins hear all. Rights are those of the moment of the
// event: a session whose user was disabled or demoted, or whose token or key ran out, is closed instead.
export async function canSeeEvent({ payload, args, context }: FilterArgs): Promise<boolean> {
  const user = context.user;
  if (!user) return false;
  if (user.role !== Role.ADMIN && payload.userId !== user.id) return false;
  if (args.strategyId && args.strategyId !== payload.strategyId) return false;
  return context.session ? context.services.liveSessions.allows(context.session) : true;
}

@Resolver()
export class ExecutionEventsResolver {
  @Authorized()
  @Subscription(() => ExecutionEventMessage, { topics: TOPICS.EXECUTION_EVENT, filter: canSeeEvent })
  executionEvents(
    @Root() event: ExecutionEventMessage,
    @Arg('strategyId', () => ID, { nullable: true }) _strategyId?: string | null,
  ): ExecutionEventMessage {
    return event;
  }
}
