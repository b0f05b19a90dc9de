import { Authorized, Ctx, Extensions, FieldResolver, Resolver, Root } from 'type-graphql';
import { emSql } from '../../db/sql';
import type { GraphQLContext } from '../../graphql/context';
import { Execution } from '../executions/execution.entity';

// Whether an execution's exits are the broker's (a native bracket: the entry's Super Order, or the exit booked from
// one of its legs) or the core's (an emulated exit plan, or the exit it sent); null when it has none
const EMULATED_SQL = `select exists (select 1 from exit_plans p where p.entry_execution_id = e.id)
    or jsonb_typeof(a.payload->'exits') = 'object' or a.payload->'extras'->>'planId' is not null as emulated
  from executions e join alerts a on a.id = e.alert_id where e.id = ?`;

@Authorized()
@Resolver(() => Execution)
export class ExitsModeResolver {
  @Extensions({ cost: { size: 2 } })
  @FieldResolver(() => String, {
    nullable: true,
    description:
      "How this execution's exits (stop loss, target, trail) are handled: NATIVE (the broker's own bracket order holds them and does the one-cancels-the-other, where its plugin declares bracket orders; also an exit booked from one of its legs), EMULATED (the core's exit plan watches prices and sends the exit), or null when it has none",
  })
  async exitsMode(@Root() execution: Execution, @Ctx() ctx: GraphQLContext): Promise<string | null> {
    const request = execution.brokerRequest as { bracket?: unknown; bracketLeg?: unknown } | null | undefined;
    if (request?.bracket || request?.bracketLeg) return 'NATIVE';
    const [row] = await emSql(ctx.em).query<{ emulated: boolean }>(EMULATED_SQL, [execution.id]);
    return row?.emulated ? 'EMULATED' : null;
  }
}
