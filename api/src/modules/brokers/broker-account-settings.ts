import { IsOptional, Matches } from 'class-validator';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Field, ID, InputType } from 'type-graphql';
import { badInput, notFound } from '../../shared/app-error';
import type { SecretBox } from '../../shared/crypto';
import { audit } from '../audit/audit.service';
import type { User } from '../users/user.entity';
import type { BrokerAccount } from './broker-account.entity';
import { findAccount } from './broker-account-lookup';
import type { BrokerRegistry } from './plugin-registry';

// Messages never echo the values
@InputType()
export class BrokerAutoLoginInput {
  @Field()
  @Matches(/^[a-z][a-z0-9-]{0,31}$/, { message: 'broker must be the name of a broker plugin' })
  broker!: string;

  @Field({ description: 'The trading PIN at the broker; stored encrypted, never returned' })
  @Matches(/^\d{4,8}$/, { message: 'pin must be 4-8 digits' })
  pin!: string;

  @Field({
    description: 'The base32 TOTP secret shown when TOTP was enabled at the broker; stored encrypted, never returned',
  })
  @Matches(/^[A-Za-z2-7 ]{16,160}=*$/, { message: 'totpSecret must be the base32 secret (letters A-Z and digits 2-7)' })
  totpSecret!: string;

  @Field(() => ID, { nullable: true, description: 'Which account (default: your first at the broker)' })
  @IsOptional()
  accountId?: string;
}

// The per-account choices of issue 20: automatic PIN + TOTP login (opt-in, secrets encrypted like the token) and
// mirroring the platform kill switch at the broker.
export class BrokerAccountSettings {
  constructor(
    private readonly brokers: BrokerRegistry,
    private readonly box: SecretBox,
  ) {}

  async enableAutoLogin(
    em: EntityManager,
    user: User,
    input: BrokerAutoLoginInput,
    ip?: string,
  ): Promise<BrokerAccount> {
    const account = await this.mine(em, user, input.broker, input.accountId);
    if (!this.brokers.plugin(account.broker).manifest.has.session.login)
      throw badInput(`${account.broker} does not support automatic login`);
    account.pinEnc = this.box.encrypt(input.pin);
    account.totpSecretEnc = this.box.encrypt(input.totpSecret.replace(/\s+/g, '').toUpperCase());
    account.autoLogin = true;
    audit(em, {
      actor: user,
      action: 'broker.auto_login_on',
      entityType: 'broker_account',
      entityId: account.id,
      details: { broker: account.broker },
      ip,
    });
    await em.flush();
    return account;
  }

  async disableAutoLogin(
    em: EntityManager,
    user: User,
    broker: string,
    ip?: string,
    accountId?: string | null,
  ): Promise<BrokerAccount> {
    const account = await this.mine(em, user, broker, accountId);
    account.pinEnc = null as unknown as undefined;
    account.totpSecretEnc = null as unknown as undefined;
    account.autoLogin = false;
    audit(em, {
      actor: user,
      action: 'broker.auto_login_off',
      entityType: 'broker_account',
      entityId: account.id,
      details: { broker },
      ip,
    });
    await em.flush();
    return account;
  }

  async linkKillSwitch(
    em: EntityManager,
    user: User,
    broker: string,
    enabled: boolean,
    ip?: string,
    accountId?: string | null,
  ): Promise<BrokerAccount> {
    const account = await this.mine(em, user, broker, accountId);
    if (enabled && !this.brokers.plugin(account.broker).manifest.has.killSwitch)
      throw badInput(`${account.broker} has no kill switch of its own`);
    account.brokerKillSwitch = enabled;
    audit(em, {
      actor: user,
      action: 'broker.kill_switch_link',
      entityType: 'broker_account',
      entityId: account.id,
      details: { broker, enabled },
      ip,
    });
    await em.flush();
    return account;
  }

  private async mine(em: EntityManager, user: User, broker: string, accountId?: string | null): Promise<BrokerAccount> {
    const account = await findAccount(em, user.id, broker, accountId);
    if (!account || !this.brokers.has(broker)) throw notFound('Broker account');
    return account;
  }
}
