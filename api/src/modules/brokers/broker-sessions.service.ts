import { hasCapability, isBrokerError, type BrokerClient, type SessionToken } from '@algodatta/broker-sdk';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { SecretBox } from '../../shared/crypto';
import { BrokerAccountStatus, NotificationEvent } from '../../shared/enums';
import { logger } from '../../shared/logger';
import { enqueueNotification } from '../notifications/notification-enqueue';
import { BrokerAccount } from './broker-account.entity';
import type { BrokerAccountService } from './broker-account.service';
import type { BrokerRouter } from './broker-route';
import type { BrokerRegistry } from './plugin-registry';

const WARN_BEFORE_MS = 2 * 60 * 60 * 1000;
// Accounts whose sessions are checked at once
const SESSION_CONCURRENCY = 4;

export type SessionOutcome = {
  accountId: string;
  broker: string;
  action: 'renewed' | 'logged_in' | 'renewal_failed' | 'login_failed' | 'warned' | 'expired' | 'none';
};
export type BrokerSessionOptions = {
  renewBeforeMs: number;
  now?: () => number;
  onChange?: (userId: string, broker: string) => void;
};

// Keeps broker tokens alive (the job every BROKER_SESSION_CHECK_MINUTES): a token close to its expiry is renewed
// through the plugin (has.session.renew; web tokens only) or, when the owner opted in, replaced by an automatic
// PIN + TOTP login (has.session.login). The new token is stored in one statement with its expiry, or nothing changes;
// a failure notifies at once. Owners hear 2 hours before a token expires and when it has.
export class BrokerSessionService {
  private readonly now: () => number;

  constructor(
    private readonly orm: MikroORM,
    private readonly brokers: BrokerRegistry,
    private readonly router: BrokerRouter,
    private readonly box: SecretBox,
    private readonly accounts: BrokerAccountService,
    private readonly opts: BrokerSessionOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  async run(): Promise<SessionOutcome[]> {
    const accounts = await this.orm.em.fork().find(BrokerAccount, {
      status: { $in: [BrokerAccountStatus.CONNECTED, BrokerAccountStatus.EXPIRED] },
      accessTokenEnc: { $ne: null },
    });
    // Accounts are checked a few at a time, so one slow broker call (renewal, login) does not hold up the others;
    // outcomes keep the accounts' order
    const live = accounts.filter((a) => this.brokers.isLive(a.broker));
    const results: (SessionOutcome | undefined)[] = new Array(live.length);
    let next = 0;
    const worker = async () => {
      while (next < live.length) {
        const i = next++;
        const account = live[i];
        try {
          results[i] = await this.keep(account);
        } catch (error) {
          logger.error('broker session check failed', {
            broker: account.broker,
            accountId: account.id,
            error: (error as Error).message,
          });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(SESSION_CONCURRENCY, live.length) }, worker));
    return results.filter((r): r is SessionOutcome => r !== undefined);
  }

  private async keep(account: BrokerAccount): Promise<SessionOutcome> {
    const has = this.brokers.plugin(account.broker).manifest.has;
    const out = (action: SessionOutcome['action']): SessionOutcome => ({
      accountId: account.id,
      broker: account.broker,
      action,
    });
    const canLogin =
      hasCapability(has, 'session.login') && account.autoLogin && !!account.pinEnc && !!account.totpSecretEnc;
    const expires = account.tokenExpiresAt?.getTime();
    const now = this.now();
    if (account.status === BrokerAccountStatus.EXPIRED) return canLogin ? this.login(account, out) : out('none');
    if (expires === undefined || expires - now > this.opts.renewBeforeMs) return out('none');
    if (expires > now && hasCapability(has, 'session.renew') && account.tokenVia !== 'login') {
      const renewed = await this.renew(account, out);
      if (renewed.action === 'renewed' || !canLogin)
        return renewed.action === 'renewed' ? renewed : this.notices(account, renewed);
    }
    if (canLogin) {
      const login = await this.login(account, out);
      if (login.action === 'logged_in') return login;
    }
    return this.notices(account, out('none'));
  }

  private async renew(
    account: BrokerAccount,
    out: (a: SessionOutcome['action']) => SessionOutcome,
  ): Promise<SessionOutcome> {
    const route = this.router.accountRoute(account);
    if (!route) return out('none');
    try {
      // The account's own client: it switches to the new token at once, so orders in flight keep working
      const client = await this.brokers.client(
        route.broker,
        route.accountId,
        route.credentials,
        route.credentialsVersion,
      );
      const token = await client.renewSession!();
      return (await this.store(account, token)) ? out('renewed') : out('none');
    } catch (error) {
      await this.failed(account, 'renewal_failed', error);
      return out('renewal_failed');
    }
  }

  private async login(
    account: BrokerAccount,
    out: (a: SessionOutcome['action']) => SessionOutcome,
  ): Promise<SessionOutcome> {
    const plugin = this.brokers.plugin(account.broker);
    const child = logger.child({ broker: account.broker });
    let client: BrokerClient | undefined;
    try {
      // A client of its own: the stored token may be dead already, and nothing else should use this one
      client = await plugin.createClient({
        logger: {
          debug: (m, meta) => child.debug(m, meta),
          info: (m, meta) => child.info(m, meta),
          warn: (m, meta) => child.warn(m, meta),
          error: (m, meta) => child.error(m, meta),
        },
        clock: { now: this.now },
        accountId: `login-${account.id}`,
        credentials: {
          clientId: this.box.decrypt(account.clientIdEnc),
          accessToken: this.box.decrypt(account.accessTokenEnc!),
        },
      });
      const token = await client.loginSession!({
        pin: this.box.decrypt(account.pinEnc!),
        totpSecret: this.box.decrypt(account.totpSecretEnc!),
      });
      return (await this.store(account, token)) ? out('logged_in') : out('none');
    } catch (error) {
      await this.failed(account, 'login_failed', error);
      return out('login_failed');
    } finally {
      await client?.close().catch(() => undefined);
    }
  }

  // The new token, its expiry and origin in one update, only over the token it replaces (a connect in between wins)
  private async store(account: BrokerAccount, token: SessionToken): Promise<boolean> {
    const at = new Date(this.now());
    const changed = await this.orm.em.fork().nativeUpdate(
      BrokerAccount,
      { id: account.id, accessTokenEnc: account.accessTokenEnc },
      {
        accessTokenEnc: this.box.encrypt(token.accessToken),
        tokenExpiresAt: token.expiresAt !== undefined ? new Date(token.expiresAt) : null,
        tokenVia: token.via,
        sessionRenewedAt: at,
        status: BrokerAccountStatus.CONNECTED,
        lastError: null,
        updatedAt: at,
      },
    );
    if (!changed) return false;
    // Clients on the old token go; the next order makes one with the new token
    await this.brokers.closeAccount(account.broker, account.id);
    this.opts.onChange?.(account.user.id, account.broker);
    logger.info(`broker token ${token.via === 'login' ? 'replaced by an automatic login' : 'renewed'}`, {
      broker: account.broker,
      accountId: account.id,
      expiresAt: token.expiresAt,
    });
    return true;
  }

  // Nothing of the token changes; the owner hears at once (the error text is the plugin's, never a secret)
  private async failed(account: BrokerAccount, kind: 'renewal_failed' | 'login_failed', error: unknown): Promise<void> {
    const reason = (isBrokerError(error) ? `${error.code}: ${error.message}` : (error as Error).message).slice(0, 500);
    logger.warn(`broker ${kind === 'login_failed' ? 'automatic login' : 'token renewal'} failed`, {
      broker: account.broker,
      accountId: account.id,
      reason,
    });
    await this.orm.em.fork().transactional(async (em) => {
      await em.nativeUpdate(BrokerAccount, { id: account.id }, { lastError: `${kind}: ${reason}`.slice(0, 1000) });
      enqueueNotification(em, {
        event: NotificationEvent.BROKER_SESSION,
        userId: account.user.id,
        data: {
          broker: account.broker,
          kind,
          reason,
          expiresAt: account.tokenExpiresAt?.toISOString() ?? null,
        },
      });
    });
  }

  // 2 hours before the expiry, then at it (the account becomes EXPIRED): once per token
  private async notices(account: BrokerAccount, outcome: SessionOutcome): Promise<SessionOutcome> {
    const expiresAt = account.tokenExpiresAt;
    if (!expiresAt) return outcome;
    const left = expiresAt.getTime() - this.now();
    if (left <= 0) {
      if (account.expiryNoticedFor?.getTime() === expiresAt.getTime()) return outcome;
      await this.orm.em.fork().nativeUpdate(BrokerAccount, { id: account.id }, { expiryNoticedFor: expiresAt });
      await this.accounts.markExpired(
        account.user.id,
        account.broker,
        `the access token expired at ${expiresAt.toISOString()}`,
        account.id,
      );
      return { ...outcome, action: outcome.action === 'none' ? 'expired' : outcome.action };
    }
    if (left > WARN_BEFORE_MS || account.expiryWarnedFor?.getTime() === expiresAt.getTime()) return outcome;
    await this.orm.em.fork().transactional(async (em) => {
      await em.nativeUpdate(BrokerAccount, { id: account.id }, { expiryWarnedFor: expiresAt });
      enqueueNotification(em, {
        event: NotificationEvent.BROKER_SESSION,
        userId: account.user.id,
        data: {
          broker: account.broker,
          kind: 'expiring',
          expiresAt: expiresAt.toISOString(),
        },
      });
    });
    return { ...outcome, action: outcome.action === 'none' ? 'warned' : outcome.action };
  }
}
