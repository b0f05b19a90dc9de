import { MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    'A signed-in login (one refresh-token family): a browser or device that stays signed in until it signs out, is revoked or expires',
})
export class Session {
  @Field(() => ID) id!: string;
  @Field({ description: 'When the login was made' }) startedAt!: Date;
  @Field({ description: 'When it last renewed its access token' }) lastActiveAt!: Date;
  @Field({ description: 'When it ends unless renewed' }) expiresAt!: Date;
  @Field({ description: 'The login this request was made with' }) current!: boolean;
}

@InputType()
export class ChangePasswordInput {
  @Field()
  @MaxLength(128)
  currentPassword!: string;

  @Field()
  @MinLength(8, { message: 'newPassword must be at least 8 characters' })
  @MaxLength(128)
  newPassword!: string;
}
