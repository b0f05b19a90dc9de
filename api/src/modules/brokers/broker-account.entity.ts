import { Entity, Enum, ManyToOne, Property, Unique, Opt } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base.entity';
import { BrokerAccountStatus } from '../../shared/enums';
import { User } from '../users/user.entity';

// Credentials are AES-256-GCM ciphertexts (see shared/crypto.ts); they never leave the api.
@ObjectType()
@Entity({ tableName: 'broker_accounts' })
@Unique({ properties: ['user', 'broker'] })
export class BrokerAccount extends BaseEntity<'userId'> {
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  @Field(() => ID)
  get userId(): string {
    return this.user.id;
  }

  @Field()
  @Property({ length: 32 })
  broker!: string;

  @Property({ type: 'text', hidden: true })
  clientIdEnc!: string;

  @Field({ description: 'Client id with all but the last 4 characters masked' })
  @Property({ length: 32 })
  clientIdMasked!: string;

  @Property({ type: 'text', nullable: true, hidden: true })
  accessTokenEnc?: string;

  @Property({ type: 'text', nullable: true, hidden: true })
  refreshTokenEnc?: string;

  @Field(() => BrokerAccountStatus)
  @Enum({ items: () => BrokerAccountStatus })
  status: Opt<BrokerAccountStatus> = BrokerAccountStatus.CONNECTED;

  @Field({ nullable: true })
  @Property({ type: 'datetime', nullable: true })
  tokenExpiresAt?: Date;

  @Field({ nullable: true })
  @Property({ type: 'datetime', nullable: true })
  connectedAt?: Date;

  @Field({ nullable: true })
  @Property({ type: 'text', nullable: true })
  lastError?: string;
}
