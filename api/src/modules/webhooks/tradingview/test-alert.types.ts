import { Field, ID, Int, ObjectType } from 'type-graphql';
import { JSONScalar } from '../../../graphql/scalars/json.scalar';
import { TradingMode } from '../../../shared/enums';

@ObjectType({
  description:
    "What one fan-out target (another account of the strategy) made of a test alert: a PAPER target's is sent and recorded like the strategy's own on paper; a LIVE target's is a dry run, checked and answered, never recorded or ordered",
})
export class TestAlertTargetResult {
  @Field(() => ID, { description: "The target's own strategy id" })
  strategyId!: string;

  @Field()
  name!: string;

  @Field(() => TradingMode)
  mode!: TradingMode;

  @Field()
  broker!: string;

  @Field({
    description:
      'sent: recorded through the intake (PAPER target); dry_run: only checked (LIVE target); skipped: the multiplier is 0; error: it failed on this account alone',
  })
  outcome!: string;

  @Field(() => Int, {
    nullable: true,
    description: 'What the webhook would answer for this account alone: 202 accepted, 200 duplicate, 422 rejected',
  })
  httpStatus?: number | null;

  @Field(() => JSONScalar, {
    description: "This account's entry of the webhook's answer (status, reason, message, alert_id)",
  })
  response!: unknown;

  @Field({ description: 'The answer in words' })
  message!: string;

  @Field(() => ID, { nullable: true, description: 'The execution it created (outcome sent)' })
  executionId?: string;
}

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

  @Field(() => [TestAlertTargetResult], {
    description:
      "One strategy, many accounts: each fan-out target's answer, as TradingView's alert would be fanned out (empty without targets, or when the strategy's own alert was not taken: not deployed, invalid, rate limited)",
  })
  targets!: TestAlertTargetResult[];
}
