import { EntityManager, MikroORM, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { badInput, conflict, notFound } from '../../shared/app-error';
import { maskClientId, SecretBox } from '../../shared/crypto';
import { BrokerAccountStatus, NotificationEvent, Role, TradingMode } from '../../shared/enums';
import { logger } from '../../shared/logger';
import { audit } from '../audit/audit.service';
import { Execution } from '../executions/execution.entity';
import { enqueueNotification } from '../notifications/notification-enqueue';
import { User } from '../users/user.entity';
import { BrokerAccount } from './broker-account.entity';
import { isUuid } from '../../shared/ids';
import { findAccount } from './broker-account-lookup';
import type { ConnectBrokerInput } from './broker-account.types';
import { checkCredentials } from './credential-check';
import type { BrokerRegistry } from './plugin-registry';

// MikroORM writes NULL for null; undefined would leave the column as it was
const NULL = null as unknown as undefined;
const UUID_NONE = '00000000-0000-0000-0000-000000000000';

// A user's live broker accounts: connect (verified with the broker first), disconnect, admin token reset, and
// EXPIRED when the broker stops accepting the token. Tokens are stored encrypted and never leave this service.
export class BrokerAccountService {
  constructor(
    private readonly orm: MikroORM,
    private readonly brokers: BrokerRegistry,
    private readonly box: SecretBox,
  ) {}

  async connect(em: EntityManager, user: User, input: ConnectBrokerInput, ip?: string): Promise<BrokerAccount> {
    const broker = input.broker;
    if (!this.brokers.isLive(broker)) {
      throw badInput(`No live broker plugin named "${broker}" is loaded`, [
        { path: 'broker', message: 'unknown broker' },
      ]);
    }
    const clientId = input.clientId.trim();
    const accessToken = input.accessToken.trim();
    const profile = await checkCredentials(this.brokers, broker, { clientId, accessToken });
    const now = new Date();
    const fields = {
      clientIdEnc: this.box.encrypt(clientId),
      clientIdMasked: maskClientId(clientId),
      accessTokenEnc: this.box.encrypt(accessToken),
      status: BrokerAccountStatus.CONNECTED,
      connectedAt: now,
      updatedAt: now,
      tokenExpiresAt: profile?.tokenExpiresAt !== undefined ? new Date(profile.tokenExpiresAt) : NULL,
      lastError: NULL,
      // A pasted token: renewable while valid; expiry notices start again for it
      tokenVia: 'web',
      sessionRenewedAt: NULL,
      expiryWarnedFor: NULL,
      expiryNoticedFor: NULL,
    };
    const label = input.label?.trim() ?? '';
    let account = await this.target(em, user, broker, clientId, label, input.accountId);
    // updatedAt moves on every change: BrokerRouter derives the credentials version from it, so a new token
    // gets a new client
    if (account) Object.assign(account, fields, input.label !== undefined && input.label !== null ? { label } : {});
    else account = em.create(BrokerAccount, { user, broker, label, ...fields });
    audit(em, {
      actor: user,
      action: 'broker.connect',
      entityType: 'broker_account',
      entityId: account.id,
      details: { broker, clientId: account.clientIdMasked },
      ip,
    });
    try {
      await em.flush();
    } catch (error) {
      // Two connects of one account at once (or a label another account has): the unique (user, broker, label)
      // index lets one win
      if (error instanceof UniqueConstraintViolationException)
        throw conflict(
          `Another of your ${broker} accounts has this label, or another connect of it is in progress; try again`,
        );
      throw error;
    }
    await this.brokers.closeAccount(broker, account.id);
    logger.info('broker account connected', { broker, accountId: account.id, clientId: account.clientIdMasked });
    return account;
  }

  // Which account a connect updates (null: a new one). accountId: that account. A label: the account with it (none
  // yet: a new account). Neither: the account this client id is connected as, else the default account (as before
  // accounts had labels). One client id is one account: connecting it as a second account is refused.
  private async target(
    em: EntityManager,
    user: User,
    broker: string,
    clientId: string,
    label: string,
    accountId?: string | null,
  ): Promise<BrokerAccount | null> {
    const mine = await em.find(BrokerAccount, { user: user.id, broker }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    const same = mine.find((a) => this.box.decrypt(a.clientIdEnc) === clientId);
    let account: BrokerAccount | null;
    if (accountId) {
      account = (isUuid(accountId) && mine.find((a) => a.id === accountId)) || null;
      if (!account) throw notFound('Broker account');
    } else if (label) account = mine.find((a) => a.label === label) ?? null;
    else account = same ?? mine[0] ?? null;
    if (same && same !== account) {
      const message = `client id ${same.clientIdMasked} is already connected as your ${same.label ? `"${same.label}"` : 'default'} ${broker} account; reconnect that account instead`;
      throw badInput(message, [{ path: 'clientId', message }]);
    }
    return account;
  }

  list(em: EntityManager, user: User): Promise<BrokerAccount[]> {
    return em.find(BrokerAccount, user.role === Role.ADMIN ? {} : { user: user.id }, {
      orderBy: { createdAt: 'asc', id: 'asc' },
    });
  }

  async disconnect(
    em: EntityManager,
    user: User,
    broker: string,
    ip?: string,
    accountId?: string | null,
  ): Promise<boolean> {
    const account = await findAccount(em, user.id, broker, accountId);
    if (!account) return false;
    this.clearToken(account, BrokerAccountStatus.DISCONNECTED, undefined);
    audit(em, {
      actor: user,
      action: 'broker.disconnect',
      entityType: 'broker_account',
      entityId: account.id,
      details: { broker },
      ip,
    });
    await em.flush();
    await this.brokers.closeAccount(broker, account.id);
    return true;
  }

  // Every account of the user at this broker, or the one accountId names
  async resetToken(
    em: EntityManager,
    admin: User,
    userId: string,
    broker: string,
    ip?: string,
    accountId?: string | null,
  ): Promise<boolean> {
    const where = accountId ? { id: isUuid(accountId) ? accountId : UUID_NONE } : {};
    const accounts = isUuid(userId) ? await em.find(BrokerAccount, { user: userId, broker, ...where }) : [];
    if (!accounts.length) throw notFound('Broker account');
    for (const account of accounts) {
      this.clearToken(
        account,
        BrokerAccountStatus.DISCONNECTED,
        `token reset by an administrator at ${new Date().toISOString()}`,
      );
      audit(em, {
        actor: admin,
        action: 'broker.reset_token',
        entityType: 'broker_account',
        entityId: account.id,
        details: { userId, broker },
        ip,
      });
    }
    await em.flush();
    for (const account of accounts) await this.brokers.closeAccount(broker, account.id);
    logger.warn('broker token reset by an administrator', {
      by: admin.email,
      userId,
      broker,
      accounts: accounts.length,
    });
    return true;
  }

  // The broker refused the stored token during an order: stop routing LIVE orders to it and tell the user once
  // (many executions can fail at the same moment; only the one that flips CONNECTED -> EXPIRED notifies).
  // The account is the one named (accountId), else the user's default account at the broker; only that one expires.
  async markExpired(userId: string, broker: string, reason: string, accountId?: string | null): Promise<boolean> {
    const id = accountId ?? (await findAccount(this.orm.em.fork(), userId, broker))?.id;
    if (!id) return false;
    let flipped = false;
    await this.orm.em.fork().transactional(async (em) => {
      const changed = await em.nativeUpdate(
        BrokerAccount,
        { id, user: userId, broker, status: BrokerAccountStatus.CONNECTED },
        { status: BrokerAccountStatus.EXPIRED, lastError: reason.slice(0, 1000), updatedAt: new Date() },
      );
      if (changed === 0) return;
      flipped = true;
      enqueueNotification(em, {
        event: NotificationEvent.BROKER_TOKEN_EXPIRED,
        userId,
        data: { broker, reason: reason.slice(0, 500) },
      });
    });
    if (flipped) {
      await this.brokers.closeAccount(broker, id);
      logger.warn('broker account marked EXPIRED', { userId, broker, accountId: id, reason });
    }
    return flipped;
  }

  // FailureHandler's hook: the broker refused a LIVE execution's credentials
  async onAuthError(executionId: string, code: string, message: string): Promise<void> {
    const execution = await this.orm.em.fork().findOne(Execution, executionId);
    if (!execution || execution.mode !== TradingMode.LIVE) return;
    await this.markExpired(execution.user.id, execution.broker, `${code}: ${message}`, execution.brokerAccountId);
  }

  private clearToken(account: BrokerAccount, status: BrokerAccountStatus, lastError: string | undefined): void {
    account.accessTokenEnc = NULL;
    account.refreshTokenEnc = NULL;
    account.status = status;
    account.lastError = lastError ?? NULL;
    account.updatedAt = new Date();
  }
}
