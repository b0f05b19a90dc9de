import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One pre-open check of a broker account' })
export class ReadinessItem {
  @Field({
    description:
      "token (valid past today's session end), static_ip (egress IP registered at the broker), instruments (master loaded today) or trading_day",
  })
  check!: string;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true passed, false failed, null could not be told (e.g. the broker does not report it)',
  })
  ok!: boolean | null;

  @Field()
  message!: string;
}

@ObjectType({ description: 'Whether an account used by enabled LIVE strategies can trade today' })
export class AccountReadiness {
  @Field(() => ID)
  userId!: string;

  @Field()
  broker!: string;

  @Field(() => ID, { nullable: true, description: 'The broker account; null when none is connected' })
  accountId!: string | null;

  @Field(() => [String], { description: 'Exchange segments its enabled LIVE strategies trade' })
  segments!: string[];

  @Field({
    description:
      'No blocking check failed (see READINESS_BLOCKING); alerts of its LIVE strategies are refused otherwise (broker_not_ready)',
  })
  ready!: boolean;

  @Field(() => [ReadinessItem])
  items!: ReadinessItem[];

  @Field()
  checkedAt!: Date;
}
