import { Field, ID, Int, ObjectType } from 'type-graphql';
import { JSONScalar } from '../../../graphql/scalars/json.scalar';

@ObjectType({ description: 'What the webhook answered a test alert (sendTestAlert)' })
export class TestAlertResult {
  @Field({
    description:
      "sent: it went through the webhook's intake like a TradingView alert (PAPER); dry_run: a LIVE strategy's alert was only checked, nothing was recorded or ordered; not_deployed: the strategy has no webhook secret yet",
  })
  outcome!: string;

  @Field(() => Int, {
    description:
      "The webhook's HTTP status: 202 accepted, 422 rejected, 400 invalid, 429 rate limited, 401 not deployed",
  })
  httpStatus!: number;

  @Field(() => JSONScalar, { description: "The webhook's JSON answer" })
  response!: unknown;

  @Field({ description: 'The answer in words' })
  message!: string;

  @Field(() => JSONScalar, { description: 'The alert that was sent, as TradingView would post it (secret masked)' })
  alert!: unknown;

  @Field(() => ID, { nullable: true, description: 'The execution it created (outcome sent, accepted or rejected)' })
  executionId?: string;
}
