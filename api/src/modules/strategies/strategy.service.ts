import { checkQuantity } from '@algodatta/broker-sdk';
import { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import Decimal from 'decimal.js';
import { badInput, forbidden, notFound } from '../../shared/app-error';
import { ExecutionStatus, Role, TradingMode } from '../../shared/enums';
import { Execution } from '../executions/execution.entity';
import { Position } from '../positions/position.entity';
import type { BrokerRegistry } from '../brokers/plugin-registry';
import { BrokerAccount } from '../brokers/broker-account.entity';
import { sameAccount } from '../brokers/broker-account-lookup';
import { assertId, isUuid } from '../../shared/ids';
import { audit } from '../audit/audit.service';
import { User } from '../users/user.entity';
import { Strategy } from './strategy.entity';
import { normalizeTicker } from './strategy-symbol';
import { normalizeTimeframe } from './strategy-timeframe';
import { checkSizing } from '../risk/sizing-settings';
import { hasExits, patchExitDefaults, readExitDefaults, showExitSpec } from '../exits/exit-spec';
import { StrategyInput, StrategyPatch } from './strategy.types';
import { syncTargets } from './strategy-targets.sync';

type Settings = Partial<StrategyInput>;

// Drops keys GraphQL sent as null/undefined for optional settings, normalizes symbols to upper case and timeframes
// to one spelling.
function cleanSettings(input: Settings): Settings {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) if (value !== undefined && value !== null) out[key] = value;
  if (typeof out.symbol === 'string') out.symbol = out.symbol.toUpperCase();
  // One spelling whether it came from TradingView ("5", "60", "D") or the dashboard ("5m", "1h", "1D")
  if (typeof out.timeframe === 'string') {
    const timeframe = normalizeTimeframe(out.timeframe);
    if (!timeframe) {
      const message = 'timeframe must be a TradingView interval such as 1, 5, 15m, 1h, 1D';
      throw badInput(message, [{ path: 'timeframe', message }]);
    }
    out.timeframe = timeframe;
  }
  // Stored as the webhook compares them: NSE:INFY and infy are both INFY
  if (Array.isArray(out.allowedSymbols))
    out.allowedSymbols = [...new Set((out.allowedSymbols as string[]).map(normalizeTicker))];
  return out as Settings;
}

// The one quantity rule (whole lots or whole shares, by segment), on the segment the strategy is left in
function checkQty(s: Pick<Strategy, 'qty' | 'exchangeSegment'>): void {
  const checked = checkQuantity(s.qty, s.exchangeSegment, 'qty');
  if (!checked.ok) throw badInput(checked.message, [{ path: 'qty', message: checked.message }]);
  s.qty = checked.value;
}

const CLEARABLE = [
  'maxQtyPerOrder',
  'maxOpenPosition',
  'maxDailyLoss',
  'tradingWindowStart',
  'tradingWindowEnd',
  'instrumentOverride',
  'maxSignalAgeSeconds',
  'cooldownMinutes',
  'maxTradesPerDay',
  'sizingValue',
  'exitDefaults',
  'brokerAccountId',
] as const;

// Default exits are stored in their canonical spelling ("1.5%", "20pts"), or null when none is set
function checkExits(s: Pick<Strategy, 'exitDefaults'>): void {
  if (!s.exitDefaults) return;
  const read = readExitDefaults(s.exitDefaults);
  if (read.issues.length) throw badInput(read.issues[0].message, read.issues);
  s.exitDefaults = hasExits(read.spec) ? showExitSpec(read.spec) : null;
}

function checkWindow(s: Pick<Strategy, 'tradingWindowStart' | 'tradingWindowEnd'>): void {
  if (Boolean(s.tradingWindowStart) !== Boolean(s.tradingWindowEnd)) {
    throw badInput('tradingWindowStart and tradingWindowEnd go together', [
      { path: 'tradingWindowEnd', message: 'set both or neither' },
    ]);
  }
}

export class StrategyService {
  constructor(private readonly brokers: BrokerRegistry) {}

  // A LIVE strategy on a broker this api has no plugin for could never place an order: refused when saved
  private checkBroker(s: Pick<Strategy, 'mode' | 'broker'>): void {
    if (s.mode !== TradingMode.LIVE || this.brokers.isLive(s.broker)) return;
    const loaded = this.brokers.liveBrokers();
    const why = this.brokers.has(s.broker)
      ? `"${s.broker}" is the paper venue, not a live broker`
      : `no broker plugin "${s.broker}" is loaded`;
    const message = `${why}${loaded.length ? ` (live brokers: ${loaded.join(', ')})` : ''}`;
    throw badInput(message, [{ path: 'broker', message }]);
  }

  // A chosen broker account must be the owner's (another user's is not found). It goes with its broker: given no
  // broker, the strategy trades at the account's (the new strategy form sends the account alone); a broker given
  // too must be the account's.
  private async checkAccount(em: EntityManager, s: Strategy, brokerGiven: boolean): Promise<void> {
    if (!s.brokerAccountId) return;
    const account = isUuid(s.brokerAccountId)
      ? await em.findOne(BrokerAccount, { id: s.brokerAccountId, user: s.user.id })
      : null;
    if (account && !brokerGiven) s.broker = account.broker;
    if (!account || account.broker !== s.broker) {
      const message = `brokerAccountId is not one of your ${brokerGiven ? `${s.broker} ` : ''}accounts`;
      throw badInput(message, [{ path: 'brokerAccountId', message }]);
    }
  }

  // Orders already working, and an open position, belong to the broker they were placed with: switching PAPER and
  // LIVE, or a LIVE strategy's broker, would send the position's next orders elsewhere. Refused until it is flat.
  private async checkRouteChange(
    em: EntityManager,
    strategy: Strategy,
    before: { mode: TradingMode; broker: string; brokerAccountId?: string | null },
  ): Promise<void> {
    const modeChanged = strategy.mode !== before.mode;
    const live = strategy.mode === TradingMode.LIVE || before.mode === TradingMode.LIVE;
    const brokerChanged =
      live &&
      (strategy.broker !== before.broker ||
        !(await sameAccount(em, strategy.user.id, strategy.broker, strategy.brokerAccountId, before.brokerAccountId)));
    if (!modeChanged && !brokerChanged) return;
    const working = await em.count(Execution, {
      strategy: strategy.id,
      status: { $in: [ExecutionStatus.PENDING, ExecutionStatus.PLACED, ExecutionStatus.PARTIALLY_FILLED] },
    });
    const open = await em.find(
      Position,
      { strategy: strategy.id, qty: { $ne: '0' } },
      { fields: ['symbol', 'mode', 'qty'] },
    );
    if (!working && !open.length) return;
    const what = modeChanged
      ? `mode from ${before.mode} to ${strategy.mode}`
      : strategy.broker !== before.broker
        ? `broker from ${before.broker} to ${strategy.broker}`
        : 'broker account';
    const why = [
      working ? `${working} order${working === 1 ? ' is' : 's are'} still working` : '',
      open.length
        ? `the ${open.map((p) => `${p.mode} ${p.symbol} position (${new Decimal(p.qty).toFixed()})`).join(', ')} ${open.length === 1 ? 'is' : 'are'} open`
        : '',
    ]
      .filter(Boolean)
      .join(' and ');
    const message = `cannot switch ${what}: ${why}; cancel the orders and close the position first`;
    throw badInput(message, [{ path: modeChanged ? 'mode' : 'broker', message }]);
  }

  // Owners see their strategies; admins see everyone's. Someone else's strategy is reported as not found.
  scope(user: User): FilterQuery<Strategy> {
    return user.role === Role.ADMIN ? { deletedAt: null } : { user: user.id, deletedAt: null };
  }

  // Fan-out targets are listed under their strategy (Strategy.targets), not as strategies of their own
  list(em: EntityManager, user: User): Promise<Strategy[]> {
    return em.find(
      Strategy,
      { $and: [this.scope(user), { parentStrategy: null }] },
      { orderBy: { createdAt: 'desc' } },
    );
  }

  find(em: EntityManager, user: User, id: string): Promise<Strategy | null> {
    return em.findOne(Strategy, { $and: [this.scope(user), { id: assertId(id) }] });
  }

  async get(em: EntityManager, user: User, id: string): Promise<Strategy> {
    const strategy = await this.find(em, user, id);
    if (!strategy) throw notFound('Strategy');
    return strategy;
  }

  // For changes: the owner's strategy. An admin sees everyone's but may only stop another user's (toggle off),
  // so deploying (a fresh webhook secret), editing, cloning or deleting it is FORBIDDEN, not NOT_FOUND.
  async getToChange(em: EntityManager, user: User, id: string, adminMayStop = false): Promise<Strategy> {
    const strategy = await this.get(em, user, id);
    if (strategy.user.id !== user.id && !adminMayStop)
      throw forbidden("Admins change another user's strategy only by disabling it");
    return strategy;
  }

  // Settings, secrets and copies are its strategy's: a fan-out target changes only through updateStrategyTarget
  async getOwnToChange(em: EntityManager, user: User, id: string): Promise<Strategy> {
    const strategy = await this.getToChange(em, user, id);
    if (strategy.parentStrategy) {
      const message =
        'this is a fan-out target of another strategy: change that strategy, or this target with updateStrategyTarget';
      throw badInput(message, [{ path: 'id', message }]);
    }
    return strategy;
  }

  async create(em: EntityManager, user: User, input: StrategyInput): Promise<Strategy> {
    const strategy = em.create(Strategy, {
      broker: this.brokers.defaultLiveBroker(),
      ...cleanSettings(input),
      user,
    } as Strategy);
    checkWindow(strategy);
    checkQty(strategy);
    checkSizing(strategy);
    checkExits(strategy);
    await this.checkAccount(em, strategy, input.broker != null);
    this.checkBroker(strategy);
    await em.flush();
    return strategy;
  }

  async update(em: EntityManager, user: User, id: string, input: StrategyPatch): Promise<Strategy> {
    const strategy = await this.getOwnToChange(em, user, id);
    // Default exits are patched field by field, like the strategy's own settings
    const patch: StrategyPatch = input.exitDefaults
      ? { ...input, exitDefaults: patchExitDefaults(strategy.exitDefaults, input.exitDefaults) }
      : input;
    const route = { mode: strategy.mode, broker: strategy.broker, brokerAccountId: strategy.brokerAccountId };
    em.assign(strategy, cleanSettings(patch));
    // An explicit null removes an optional limit; an omitted field keeps it
    for (const key of CLEARABLE)
      if ((patch as Record<string, unknown>)[key] === null) Object.assign(strategy, { [key]: null });
    // Before the route check: an account may bring its broker
    await this.checkAccount(em, strategy, patch.broker != null);
    await this.checkRouteChange(em, strategy, route);
    checkWindow(strategy);
    // A stored quantity is checked again only when the patch touches it or its unit, so an older strategy whose
    // quantity predates the rule can still be edited
    if (patch.qty != null || patch.exchangeSegment != null) checkQty(strategy);
    checkSizing(strategy);
    checkExits(strategy);
    this.checkBroker(strategy);
    await syncTargets(em, strategy);
    await em.flush();
    return strategy;
  }

  async clone(em: EntityManager, user: User, id: string): Promise<Strategy> {
    const source = await this.getOwnToChange(em, user, id);
    const {
      id: _id,
      createdAt: _c,
      updatedAt: _u,
      webhookSecretHash: _h,
      deployedAt: _d,
      user: owner,
      parentStrategy: _p,
      fanOutMultiplier: _m,
      ...settings
    } = source;
    const copy = em.create(Strategy, {
      ...settings,
      user: owner,
      name: `${source.name} (copy)`.slice(0, 120),
      enabled: false,
    } as Strategy);
    await em.flush();
    return copy;
  }

  async toggle(em: EntityManager, user: User, id: string, enabled: boolean): Promise<Strategy> {
    const strategy = await this.getToChange(em, user, id, !enabled);
    strategy.enabled = enabled;
    if (enabled) strategy.disabledReason = undefined;
    audit(em, {
      actor: user,
      action: enabled ? 'strategy.enable' : 'strategy.disable',
      entityType: 'strategy',
      entityId: strategy.id,
    });
    // The owner pausing or resuming a strategy pauses or resumes the accounts it fans out to
    await syncTargets(em, strategy, { enabled });
    await em.flush();
    return strategy;
  }

  // Soft delete keeps executions and reports intact; the webhook secret is cleared so alerts stop matching.
  async remove(em: EntityManager, user: User, id: string): Promise<boolean> {
    const strategy = await this.getToChange(em, user, id);
    strategy.deletedAt = new Date();
    strategy.enabled = false;
    strategy.webhookSecretHash = undefined;
    audit(em, { actor: user, action: 'strategy.delete', entityType: 'strategy', entityId: strategy.id });
    await syncTargets(em, strategy, { deleted: true });
    await em.flush();
    return true;
  }
}
