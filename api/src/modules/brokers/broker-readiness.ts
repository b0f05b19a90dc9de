import { hasCapability, istDate, istInstant, sessionOn, type ExchangeSegment } from '@algodatta/broker-sdk';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { BrokerAccountStatus, NotificationEvent, TradingMode } from '../../shared/enums';
import { logger } from '../../shared/logger';
import { enqueueNotification } from '../notifications/notification-enqueue';
import { Strategy } from '../strategies/strategy.entity';
import type { BrokerAccount } from './broker-account.entity';
import { findAccount } from './broker-account-lookup';
import type { BrokerRouter } from './broker-route';
import type { AccountReadiness, ReadinessItem } from './broker-readiness.types';
import type { EgressIp } from './egress-ip';
import type { BrokerRegistry } from './plugin-registry';

export const READINESS_CHECKS = ['token', 'static_ip', 'instruments', 'trading_day'] as const;
export type ReadinessOptions = { blocking: ReadonlySet<string>; cacheMs: number; now?: () => number };

// accountId: the strategy's chosen account; none = the user's default account at the broker
type Target = { userId: string; broker: string; accountId?: string | null; segments: string[] };
// IST wall-clock text: "2026-12-01 15:30" and "15:30"
const istText = (at: number) => new Date(at + 330 * 60_000).toISOString().slice(0, 16).replace('T', ' ');
const hhmm = (at: number) => istText(at).slice(11);

// Pre-open readiness of the broker accounts LIVE strategies trade through: the token lasts past today's session,
// this server's egress IP is the static IP registered at the broker, the instrument master was loaded today and the
// segment trades today. Alerts of a LIVE strategy whose account fails a blocking check are refused
// (broker_not_ready); the result is kept briefly so the alert path costs no broker round trip.
export class BrokerReadiness {
  private readonly cache = new Map<string, { at: number; value: Promise<AccountReadiness> }>();
  private readonly now: () => number;

  constructor(
    private readonly orm: MikroORM,
    private readonly brokers: BrokerRegistry,
    private readonly router: BrokerRouter,
    private readonly egress: EgressIp,
    private readonly opts: ReadinessOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** The alert precheck's question: null when the strategy may trade, else the failing items for the 422's message. */
  async refusal(
    strategy: { mode: string; broker: string; user: { id: string }; brokerAccountId?: string | null },
    segment: string,
  ): Promise<string | null> {
    if (strategy.mode !== TradingMode.LIVE) return null;
    const report = await this.cached({
      userId: strategy.user.id,
      broker: strategy.broker,
      accountId: strategy.brokerAccountId ?? null,
      segments: [segment],
    });
    const failing = report.items.filter((i) => i.ok === false && this.opts.blocking.has(i.check));
    return failing.length
      ? `${strategy.broker} account not ready: ${failing.map((i) => `${i.check}: ${i.message}`).join('; ')}`
      : null;
  }

  /** A changed account (new token, renewal, new settings) is checked again on its next alert. */
  forget(userId: string, broker: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(`${userId}:${broker}:`)) this.cache.delete(key);
  }

  /** Every account used by an enabled LIVE strategy (of one user, or everyone's), checked now. */
  async reports(userId?: string): Promise<AccountReadiness[]> {
    const targets = await this.targets(this.orm.em.fork(), userId);
    return Promise.all(targets.map((t) => this.fresh(t)));
  }

  /** The scheduled pre-open check: owners of accounts that are not ready hear of it at once. */
  async preOpen(): Promise<AccountReadiness[]> {
    const reports = await this.reports();
    const failing = reports.filter((r) => !r.ready);
    if (failing.length) {
      const em = this.orm.em.fork();
      for (const r of failing) {
        enqueueNotification(em, {
          event: NotificationEvent.BROKER_NOT_READY,
          userId: r.userId,
          data: {
            broker: r.broker,
            items: r.items.filter((i) => i.ok === false).map((i) => `${i.check}: ${i.message}`),
          },
        });
      }
      await em.flush();
    }
    logger.info('pre-open readiness checked', { accounts: reports.length, notReady: failing.length });
    return reports;
  }

  private cached(target: Target): Promise<AccountReadiness> {
    const key = `${target.userId}:${target.broker}:${target.accountId ?? ''}:${target.segments.join(',')}`;
    const hit = this.cache.get(key);
    if (hit && this.now() - hit.at < this.opts.cacheMs) return hit.value;
    const value = this.fresh(target);
    this.cache.set(key, { at: this.now(), value });
    // A failed check (the database away) is not kept: the next alert asks again
    value.catch(() => {
      if (this.cache.get(key)?.value === value) this.cache.delete(key);
    });
    // Past its time, the last answer still serves while the new one is on its way (never a round trip per alert)
    return hit ? hit.value : value;
  }

  private async fresh(target: Target): Promise<AccountReadiness> {
    const checkedAt = new Date(this.now());
    const account = await findAccount(this.orm.em.fork(), target.userId, target.broker, target.accountId);
    const base = {
      userId: target.userId,
      broker: target.broker,
      accountId: account?.id ?? null,
      segments: target.segments,
      checkedAt,
    };
    if (!account || account.status !== BrokerAccountStatus.CONNECTED) {
      const items = [{ check: 'token', ok: false, message: `not connected (${account?.status ?? 'never connected'})` }];
      return { ...base, ready: false, items };
    }
    const [staticIp, instruments] = await Promise.all([this.staticIp(account), this.instruments(target.broker)]);
    const items = [this.token(account, target.segments), staticIp, instruments, this.tradingDay(target.segments)];
    return { ...base, ready: !items.some((i) => i.ok === false && this.opts.blocking.has(i.check)), items };
  }

  private token(account: BrokerAccount, segments: string[]): ReadinessItem {
    const now = this.now();
    const expires = account.tokenExpiresAt?.getTime();
    if (expires === undefined)
      return { check: 'token', ok: null, message: `${account.broker} does not say when the token expires` };
    if (expires <= now) return { check: 'token', ok: false, message: `expired at ${istText(expires)} IST` };
    const today = istDate(now);
    const ends = segments
      .map((s) => sessionOn(s as ExchangeSegment, today))
      .filter((s) => s !== null)
      .map((s) => istInstant(today, s.close));
    const sessionEnd = ends.length ? Math.max(...ends) : null;
    if (sessionEnd === null || expires >= sessionEnd)
      return { check: 'token', ok: true, message: `valid until ${istText(expires)} IST` };
    const has = this.brokers.plugin(account.broker).manifest.has;
    const renewable =
      (hasCapability(has, 'session.renew') && account.tokenVia !== 'login') ||
      (hasCapability(has, 'session.login') && account.autoLogin);
    if (renewable)
      return {
        check: 'token',
        ok: true,
        message: `expires ${hhmm(expires)} IST, before the session ends at ${hhmm(sessionEnd)}; it is renewed before then`,
      };
    return {
      check: 'token',
      ok: false,
      message: `expires ${hhmm(expires)} IST, before today's session ends at ${hhmm(sessionEnd)} IST: connect a new token`,
    };
  }

  private async staticIp(account: BrokerAccount): Promise<ReadinessItem> {
    if (!this.brokers.plugin(account.broker).manifest.has.staticIp)
      return { check: 'static_ip', ok: null, message: `${account.broker} does not report a registered IP` };
    const route = this.router.accountRoute(account);
    if (!route) return { check: 'static_ip', ok: null, message: 'no stored token to ask the broker with' };
    let registered: string[];
    try {
      const client = await this.brokers.client(
        route.broker,
        route.accountId,
        route.credentials,
        route.credentialsVersion,
      );
      const info = await client.getStaticIp!();
      registered = [info.primary, info.secondary].filter((ip): ip is string => !!ip);
    } catch (error) {
      return {
        check: 'static_ip',
        ok: null,
        message: `could not read the registered IP from ${account.broker} (${(error as Error).message.slice(0, 200)})`,
      };
    }
    const egress = await this.egress.current();
    if (!egress.ip)
      return {
        check: 'static_ip',
        ok: null,
        message: `registered: ${registered.join(', ') || 'none'}; this server's egress IP is unknown (set EGRESS_IP)`,
      };
    if (!registered.length)
      return {
        check: 'static_ip',
        ok: false,
        message: `no static IP is registered at ${account.broker}; register ${egress.ip}`,
      };
    if (registered.includes(egress.ip))
      return { check: 'static_ip', ok: true, message: `egress IP ${egress.ip} is registered` };
    return {
      check: 'static_ip',
      ok: false,
      message: `this server's egress IP ${egress.ip} is not the static IP registered at ${account.broker} (${registered.join(', ')})`,
    };
  }

  private async instruments(broker: string): Promise<ReadinessItem> {
    if (!this.brokers.instrumentMaster(broker))
      return { check: 'instruments', ok: null, message: `${broker} has no instrument master` };
    // A master is replaced whole, so any row tells when it was loaded
    const rows = await this.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ created_at: Date }>>('select created_at from instruments where broker = ? limit 1', [broker]);
    const loaded = rows[0]?.created_at;
    if (!loaded) return { check: 'instruments', ok: false, message: 'the instrument master is not loaded' };
    const at = new Date(loaded).getTime();
    if (istDate(at) !== istDate(this.now()))
      return {
        check: 'instruments',
        ok: false,
        message: `the instrument master was last loaded ${istText(at)} IST, not today`,
      };
    return { check: 'instruments', ok: true, message: `loaded today at ${hhmm(at)} IST` };
  }

  private tradingDay(segments: string[]): ReadinessItem {
    const today = istDate(this.now());
    const closed = segments.filter((s) => !sessionOn(s as ExchangeSegment, today));
    if (closed.length)
      return { check: 'trading_day', ok: false, message: `${today} is not a trading day for ${closed.join(', ')}` };
    return { check: 'trading_day', ok: true, message: `${today} is a trading day for ${segments.join(', ')}` };
  }

  private async targets(em: EntityManager, userId?: string): Promise<Target[]> {
    const strategies = await em.find(
      Strategy,
      { mode: TradingMode.LIVE, enabled: true, ...(userId && { user: userId }) },
      { fields: ['user', 'broker', 'brokerAccountId', 'exchangeSegment'] },
    );
    // A strategy without brokerAccountId trades on its default account: grouped under that account's id, so an
    // account some strategies name and others leave to the default is checked, and its owner told, once
    const defaults = new Map<string, Promise<string | null>>();
    const accountOf = (s: Pick<Strategy, 'user' | 'broker' | 'brokerAccountId'>): Promise<string | null> => {
      if (s.brokerAccountId) return Promise.resolve(s.brokerAccountId);
      const key = `${s.user.id}:${s.broker}`;
      if (!defaults.has(key))
        defaults.set(
          key,
          findAccount(em, s.user.id, s.broker).then((a) => a?.id ?? null),
        );
      return defaults.get(key)!;
    };
    const byAccount = new Map<string, Target>();
    for (const s of strategies) {
      const accountId = await accountOf(s);
      const key = `${s.user.id}:${s.broker}:${accountId ?? ''}`;
      const t = byAccount.get(key) ?? { userId: s.user.id, broker: s.broker, accountId, segments: [] };
      if (!t.segments.includes(s.exchangeSegment)) t.segments.push(s.exchangeSegment);
      byAccount.set(key, t);
    }
    return [...byAccount.values()];
  }
}
