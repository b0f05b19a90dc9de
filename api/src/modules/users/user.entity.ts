import { Entity, Enum, Opt, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base.entity';
import { Role, UserStatus } from '../../shared/enums';

@ObjectType()
@Entity({ tableName: 'users' })
export class User extends BaseEntity {
  @Field()
  @Property({ length: 254 })
  @Unique()
  email!: string;

  @Property({ hidden: true, lazy: false })
  passwordHash!: string;

  @Field(() => Role)
  @Enum({ items: () => Role })
  role: Opt<Role> = Role.USER;

  @Field(() => UserStatus)
  @Enum({ items: () => UserStatus })
  status: Opt<UserStatus> = UserStatus.ACTIVE;
}
