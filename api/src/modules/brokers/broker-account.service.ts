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
import type { ConnectBrokerInput } from './broker-account.types';
import { checkCredentials } from './credential-check';
import type { BrokerRegistry } from './plugin-registry';

// MikroORM writes NULL for null; undefined would leave the column as it was
const NULL = null as unknown as undefined;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
    let account = await em.findOne(BrokerAccount, { user: user.id, broker });
    // updatedAt moves on every change: BrokerRouter derives the credentials version from it, so a new token
    // gets a new client
    if (account) Object.assign(account, fields);
    else account = em.create(BrokerAccount, { user, broker, ...fields });
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
      // Two connects of one account at once: the unique (user, broker) index lets one win
      if (error instanceof UniqueConstraintViolationException)
        throw conflict(`Another connect of your ${broker} account is in progress; try again`);
      throw error;
    }
    await this.brokers.closeAccount(broker, account.id);
    logger.info('broker account connected', { broker, accountId: account.id, clientId: account.clientIdMasked });
    return account;
  }

  list(em: EntityManager, user: User): Promise<BrokerAccount[]> {
    return em.find(BrokerAccount, user.role === Role.ADMIN ? {} : { user: user.id }, { orderBy: { createdAt: 'asc' } });
  }

  async disconnect(em: EntityManager, user: User, broker: string, ip?: string): Promise<boolean> {
    const account = await em.findOne(BrokerAccount, { user: user.id, broker });
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

  async resetToken(em: EntityManager, admin: User, userId: string, broker: string, ip?: string): Promise<boolean> {
    const account = UUID.test(userId) ? await em.findOne(BrokerAccount, { user: userId, broker }) : null;
    if (!account) throw notFound('Broker account');
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
    await em.flush();
    await this.brokers.closeAccount(broker, account.id);
    logger.warn('broker token reset by an administrator', { by: admin.email, userId, broker });
    return true;
  }

  // The broker refused the stored token during an order: stop routing LIVE orders to it and tell the user once
  // (many executions can fail at the same moment; only the one that flips CONNECTED -> EXPIRED notifies).
  async markExpired(userId: string, broker: string, reason: string): Promise<boolean> {
    let flipped = false;
    await this.orm.em.fork().transactional(async (em) => {
      const changed = await em.nativeUpdate(
        BrokerAccount,
        { user: userId, broker, status: BrokerAccountStatus.CONNECTED },
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
      const account = await this.orm.em.fork().findOne(BrokerAccount, { user: userId, broker });
      if (account) await this.brokers.closeAccount(broker, account.id);
      logger.warn('broker account marked EXPIRED', { userId, broker, reason });
    }
    return flipped;
  }

  // FailureHandler's hook: the broker refused a LIVE execution's credentials
  async onAuthError(executionId: string, code: string, message: string): Promise<void> {
    const execution = await this.orm.em.fork().findOne(Execution, executionId);
    if (!execution || execution.mode !== TradingMode.LIVE) return;
    await this.markExpired(execution.user.id, execution.broker, `${code}: ${message}`);
  }

  private clearToken(account: BrokerAccount, status: BrokerAccountStatus, lastError: string | undefined): void {
    account.accessTokenEnc = NULL;
    account.refreshTokenEnc = NULL;
    account.status = status;
    account.lastError = lastError ?? NULL;
    account.updatedAt = new Date();
  }
}
