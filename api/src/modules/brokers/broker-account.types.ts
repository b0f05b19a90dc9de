import { Matches, MaxLength, MinLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';

// Messages never echo the values: the token must not come back in an error either.
@InputType()
export class ConnectBrokerInput {
  @Field({ description: 'Broker plugin name, e.g. dhan' })
  @Matches(/^[a-z][a-z0-9-]{0,31}$/, { message: 'broker must be a broker plugin name such as dhan' })
  broker!: string;

  @Field({ description: 'The client id at the broker (dhanClientId)' })
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'clientId must be 1-32 letters or digits' })
  clientId!: string;

  @Field({ description: 'Access token issued by the broker; stored encrypted, never returned' })
  @MinLength(8, { message: 'accessToken is too short' })
  @MaxLength(4096, { message: 'accessToken is too long' })
  accessToken!: string;
}
