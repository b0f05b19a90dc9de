import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsOptional, Matches, MaxLength } from 'class-validator';
import { Field, InputType, ObjectType } from 'type-graphql';
import { ApiKeyScope } from '../../shared/enums';
import { ApiKey } from './api-key.entity';

@InputType()
export class ApiKeyInput {
  @Field({ description: 'What the key is for, e.g. "portfolio sync"' })
  @Matches(/\S/, { message: 'name must not be empty' })
  @MaxLength(100)
  name!: string;

  @Field(() => [ApiKeyScope], { description: 'READ: queries and subscriptions; TRADE: also the trading mutations' })
  @ArrayNotEmpty({ message: 'scopes must name READ, TRADE or both' })
  @ArrayUnique()
  @ArrayMaxSize(2)
  scopes!: ApiKeyScope[];

  @Field(() => Date, {
    nullable: true,
    description: 'After this time the key is refused (UNAUTHENTICATED); none = until revoked',
  })
  @IsOptional()
  expiresAt?: Date | null;
}

@ObjectType()
export class CreatedApiKey {
  @Field(() => ApiKey)
  apiKey!: ApiKey;

  @Field({ description: 'Send as "Authorization: Bearer <secret>"; shown only in this answer' })
  secret!: string;
}
