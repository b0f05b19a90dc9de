import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Returned once by deployStrategy: the secret is not stored in clear and cannot be shown again' })
export class Deployment {
  @Field() webhookUrl!: string;
  @Field() webhookSecret!: string;
  @Field({ description: 'Paste as the TradingView alert message' }) alertMessage!: string;
  @Field({ description: 'Pine Script alert() snippet for indicator-based alerts' }) pineSnippet!: string;
}
