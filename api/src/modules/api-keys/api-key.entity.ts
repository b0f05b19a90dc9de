import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base.entity';
import { ApiKeyScope } from '../../shared/enums';
import { User } from '../users/user.entity';

// A key an integration authenticates with instead of a password session. Only the secret's sha256 is kept;
// the secret itself is shown once, by createApiKey.
@ObjectType({ description: 'An API key of yours (the secret is never shown again after createApiKey)' })
@Entity({ tableName: 'api_keys' })
@Index({ properties: ['user', 'createdAt'] })
export class ApiKey extends BaseEntity {
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  @Field()
  @Property({ length: 100 })
  name!: string;

  @Field(() => [ApiKeyScope])
  @Enum({ items: () => ApiKeyScope, array: true })
  scopes!: ApiKeyScope[];

  @Field({ description: 'The start of the secret, to tell keys apart' })
  @Property({ length: 16 })
  prefix!: string;

  @Unique()
  @Property({ length: 64, hidden: true })
  secretHash!: string;

  @Field(() => Date, { nullable: true, description: 'Updated at most once a minute' })
  @Property({ type: 'datetime', nullable: true })
  lastUsedAt?: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  expiresAt?: Date;

  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date;
}
