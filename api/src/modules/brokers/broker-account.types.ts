import { IsOptional, Matches, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

// Messages never echo the values: the token must not come back in an error either.
@InputType()
export class ConnectBrokerInput {
  @Field({ description: 'Name of a loaded live broker plugin (the `brokers` query lists them)' })
  @Matches(/^[a-z][a-z0-9-]{0,31}$/, {
    message: 'broker must be the name of a broker plugin (lowercase letters, digits, dashes)',
  })
  broker!: string;

  @Field({ description: 'The client id of the account at the broker' })
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'clientId must be 1-32 letters or digits' })
  clientId!: string;

  @Field({ description: 'Access token issued by the broker; stored encrypted, never returned' })
  @MinLength(8, { message: 'accessToken is too short' })
  @MaxLength(4096, { message: 'accessToken is too long' })
  accessToken!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Your name for the account (e.g. "Main", "Family"). A new label adds another account at this broker; a label you have reconnects that account. Omitted: the account with this client id, else your default (first) account at the broker',
  })
  @IsOptional()
  @Matches(/^[\p{L}\p{N} ._()'&-]{1,64}$/u, {
    message: "label must be 1-64 letters, digits, spaces or . _ ( ) ' & -",
  })
  label?: string | null;

  @Field(() => ID, { nullable: true, description: 'Reconnect this one of your accounts (brokerAccounts)' })
  @IsOptional()
  accountId?: string | null;
}
