import { Entity, Enum, ManyToOne, Property, Unique, Opt } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base.entity';
import { BrokerAccountStatus } from '../../shared/enums';
import { User } from '../users/user.entity';

// Credentials are AES-256-GCM ciphertexts (see shared/crypto.ts); they never leave the api.
@ObjectType()
@Entity({ tableName: 'broker_accounts' })
// Many accounts per broker, told apart by their label ('' = the default account connected without one)
@Unique({ properties: ['user', 'broker', 'label'] })
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

  // '' for the account connected without a label (the user's default at this broker)
  @Property({ length: 64, default: '' })
  label: Opt<string> = '';

  @Field(() => String, {
    name: 'label',
    nullable: true,
    description:
      'Your name for this account (e.g. "Main", "Family"); null for the default account connected without one',
  })
  get displayLabel(): string | null {
    return this.label || null;
  }

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

  // How the stored token was made: 'web' (pasted by the user; renewable while valid), 'renew', or 'login' (PIN + TOTP)
  @Field({
    nullable: true,
    description:
      'How the stored token was made: web (pasted), renew (extended by the platform) or login (automatic PIN + TOTP login)',
  })
  @Property({ length: 8, nullable: true })
  tokenVia?: string;

  @Field({ nullable: true, description: 'When the platform last renewed the token or logged in again' })
  @Property({ type: 'datetime', nullable: true })
  sessionRenewedAt?: Date;

  // Opt-in daily login with PIN + TOTP: both encrypted like the token, never returned
  @Property({ type: 'text', nullable: true, hidden: true })
  pinEnc?: string;

  @Property({ type: 'text', nullable: true, hidden: true })
  totpSecretEnc?: string;

  @Field(() => Boolean, { description: 'Automatic daily login with the stored PIN + TOTP secret is on' })
  @Property({ default: false })
  autoLogin: Opt<boolean> = false;

  @Field(() => Boolean, {
    description: "The platform kill switch also activates this account's kill switch at the broker",
  })
  @Property({ default: false })
  brokerKillSwitch: Opt<boolean> = false;

  // The token expiry each expiry notice was sent for, so each is sent once per token
  @Property({ type: 'datetime', nullable: true })
  expiryWarnedFor?: Date;

  @Property({ type: 'datetime', nullable: true })
  expiryNoticedFor?: Date;

  @Field({ nullable: true })
  @Property({ type: 'text', nullable: true })
  lastError?: string;
}
