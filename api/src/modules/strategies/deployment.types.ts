import { Field, ObjectType } from 'type-graphql';

@ObjectType({
  description: 'Returned once by deployStrategy: the secret is not stored in clear and cannot be shown again',
})
export class Deployment {
  @Field() webhookUrl!: string;
  @Field() webhookSecret!: string;
  @Field({ description: 'Paste as the TradingView alert message' }) alertMessage!: string;
  @Field({ description: 'Pine Script alert() snippet for indicator-based alerts' }) pineSnippet!: string;
  @Field(() => String, {
    nullable: true,
    description:
      'Why TradingView cannot use webhookUrl (not public, not https, a port other than 80/443) and how to set PUBLIC_BASE_URL; null when it looks usable',
  })
  webhookUrlWarning!: string | null;
}

@ObjectType({
  description:
    "A deployed strategy's webhook as it can be shown again: the secret is masked (deploy again to rotate and reveal a new one)",
})
export class DeploymentPreview {
  @Field() deployedAt!: Date;
  @Field() webhookUrl!: string;
  @Field(() => String, { nullable: true, description: 'As on Deployment' }) webhookUrlWarning!: string | null;
  @Field({ description: 'The alert message with the secret masked' }) alertMessage!: string;
  @Field({ description: 'The Pine Script snippet with the secret masked' }) pineSnippet!: string;
}
