import type { EntityManager } from '@mikro-orm/postgresql';
import Decimal from 'decimal.js';
import { badInput, notFound } from '../../shared/app-error';
import { ExecutionStatus, TradingMode } from '../../shared/enums';
import { assertId } from '../../shared/ids';
import { audit } from '../audit/audit.service';
import { BrokerAccount } from '../brokers/broker-account.entity';
import type { BrokerRegistry } from '../brokers/plugin-registry';
import { Execution } from '../executions/execution.entity';
import { Position } from '../positions/position.entity';
import type { User } from '../users/user.entity';
import { Strategy } from './strategy.entity';
import type { StrategyService } from './strategy.service';
import {
  StrategyTarget,
  StrategyTargetInput,
  StrategyTargetPatch,
  StrategyTargetSettings,
} from './strategy-target.types';
import { accountKey, defaultAccounts, followed, targetsOf } from './strategy-targets.sync';

const MAX_MULTIPLIER = 100;
const MAX_TARGETS = 10;

function checkMultiplier(value: string | undefined): string {
  const raw = value ?? '1';
  let m: Decimal;
  try {
    m = new Decimal(raw);
  } catch {
    m = new Decimal(NaN);
  }
  if (!m.isFinite() || m.lt(0) || m.gt(MAX_MULTIPLIER) || m.decimalPlaces() > 4) {
    const message = `multiplier must be a number from 0 to ${MAX_MULTIPLIER} with at most 4 decimals (0 pauses the target)`;
    throw badInput(message, [{ path: 'multiplier', message }]);
  }
  return m.toFixed();
}

// One strategy, many accounts. A target is a strategy of its own (parentStrategy set, no webhook secret) so that
// everything keyed by strategy (position, P&L, daily loss, idempotency, reports, the executor's queues) is per
// account with no second code path; it follows its strategy's settings (strategy-targets.sync.ts).
export class StrategyTargetsService {
  constructor(
    private readonly strategies: StrategyService,
    private readonly brokers: BrokerRegistry,
  ) {}

  async list(em: EntityManager, user: User, strategyId: string): Promise<StrategyTarget[]> {
    const parent = await this.strategies.get(em, user, strategyId);
    return this.describe(em, await targetsOf(em, parent.id));
  }

  async add(em: EntityManager, user: User, strategyId: string, input: StrategyTargetInput): Promise<StrategyTarget> {
    const parent = await this.strategies.getToChange(em, user, strategyId);
    if (parent.parentStrategy) throw badInput('a fan-out target cannot have targets of its own');
    const multiplier = checkMultiplier(input.multiplier);
    let route: { mode: TradingMode; broker: string; label: string; brokerAccountId?: string };
    if (input.brokerAccountId) {
      const account = await ownAccount(em, parent.user.id, input.brokerAccountId);
      if (!this.brokers.isLive(account.broker)) {
        const message = `"${account.broker}" is not a live broker plugin loaded here`;
        throw badInput(message, [{ path: 'brokerAccountId', message }]);
      }
      route = {
        mode: TradingMode.LIVE,
        broker: account.broker,
        label: account.label || `${account.broker} ${account.clientIdMasked}`,
        brokerAccountId: account.id,
      };
    } else {
      route = { mode: TradingMode.PAPER, broker: parent.broker, label: 'paper shadow' };
    }
    const existing = await targetsOf(em, parent.id);
    if (existing.length >= MAX_TARGETS) throw badInput(`a strategy has at most ${MAX_TARGETS} targets`);
    await checkAccountFree(em, [parent, ...existing], route);
    const target = em.create(Strategy, {
      ...followed(parent),
      user: parent.user,
      parentStrategy: parent,
      name: `${parent.name} → ${route.label}`.slice(0, 120),
      mode: route.mode,
      broker: route.broker,
      brokerAccountId: route.brokerAccountId ?? null,
      enabled: parent.enabled,
      fanOutMultiplier: multiplier,
      ...limits(input),
    } as Strategy);
    audit(em, {
      actor: user,
      action: 'strategy.target.add',
      entityType: 'strategy',
      entityId: parent.id,
      details: { targetId: target.id, mode: route.mode, broker: route.broker, multiplier },
    });
    await em.flush();
    return (await this.describe(em, [target]))[0];
  }

  async update(em: EntityManager, user: User, id: string, patch: StrategyTargetPatch): Promise<StrategyTarget> {
    const target = await this.target(em, user, id);
    if (patch.brokerAccountId && patch.brokerAccountId !== target.brokerAccountId)
      await this.moveAccount(em, target, patch.brokerAccountId);
    if (patch.multiplier !== undefined && patch.multiplier !== null)
      target.fanOutMultiplier = checkMultiplier(patch.multiplier);
    for (const key of ['maxQtyPerOrder', 'maxOpenPosition', 'maxDailyLoss'] as const) {
      const value = patch[key];
      if (value === null) target[key] = undefined;
      else if (value !== undefined) target[key] = value;
    }
    if (patch.enabled !== undefined && patch.enabled !== null) {
      target.enabled = patch.enabled;
      if (patch.enabled) target.disabledReason = undefined;
    }
    audit(em, { actor: user, action: 'strategy.target.update', entityType: 'strategy', entityId: target.id });
    await em.flush();
    return (await this.describe(em, [target]))[0];
  }

  // A LIVE target onto another of the user's accounts: its orders and position belong to the account it has now
  private async moveAccount(em: EntityManager, target: Strategy, accountId: string): Promise<void> {
    const account = await ownAccount(em, target.user.id, accountId);
    if (target.mode !== TradingMode.LIVE || !this.brokers.isLive(account.broker)) {
      const message = 'only a LIVE target moves to another broker account';
      throw badInput(message, [{ path: 'brokerAccountId', message }]);
    }
    await this.checkFlat(em, target, 'move');
    const parent = await em.findOneOrFail(Strategy, target.parentStrategy!.id);
    const others = (await targetsOf(em, parent.id)).filter((t) => t.id !== target.id);
    await checkAccountFree(em, [parent, ...others], {
      mode: TradingMode.LIVE,
      broker: account.broker,
      brokerAccountId: account.id,
    });
    target.broker = account.broker;
    target.brokerAccountId = account.id;
  }

  private async checkFlat(em: EntityManager, target: Strategy, what: string): Promise<void> {
    const working = await em.count(Execution, {
      strategy: target.id,
      status: {
        $in: [
          ExecutionStatus.AWAITING_APPROVAL,
          ExecutionStatus.PENDING,
          ExecutionStatus.PLACED,
          ExecutionStatus.PARTIALLY_FILLED,
        ],
      },
    });
    const open = await em.count(Position, { strategy: target.id, qty: { $ne: '0' } });
    if (working || open) {
      const message = `cannot ${what} ${target.name}: ${working ? 'orders are still working' : 'its position is open'}; close it first`;
      throw badInput(message, [{ path: 'id', message }]);
    }
  }

  // Its orders and position belong to its account: removed only once it is flat with nothing working
  async remove(em: EntityManager, user: User, id: string): Promise<boolean> {
    const target = await this.target(em, user, id);
    await this.checkFlat(em, target, 'remove');
    target.deletedAt = new Date();
    target.enabled = false;
    audit(em, { actor: user, action: 'strategy.target.remove', entityType: 'strategy', entityId: target.id });
    await em.flush();
    return true;
  }

  private async target(em: EntityManager, user: User, id: string): Promise<Strategy> {
    const target = await this.strategies.getToChange(em, user, id);
    if (!target.parentStrategy) throw notFound('Strategy target');
    return target;
  }

  private async describe(em: EntityManager, targets: Strategy[]): Promise<StrategyTarget[]> {
    const live = targets.filter((t) => t.mode === TradingMode.LIVE);
    const accounts = live.length
      ? await em.find(
          BrokerAccount,
          { user: live[0].user.id, broker: { $in: live.map((t) => t.broker) } },
          { orderBy: { createdAt: 'asc', id: 'asc' } },
        )
      : [];
    return targets.map((t) => {
      // Its own account, or (a target made before accounts had ids on strategies) the default one at its broker
      const account =
        t.mode !== TradingMode.LIVE
          ? undefined
          : t.brokerAccountId
            ? accounts.find((a) => a.id === t.brokerAccountId)
            : accounts.find((a) => a.broker === t.broker);
      return {
        id: t.id,
        strategyId: t.parentStrategy!.id,
        name: t.name,
        mode: t.mode,
        broker: t.broker,
        brokerAccountId: account?.id ?? null,
        accountStatus: account?.status ?? (t.mode === TradingMode.LIVE ? 'DISCONNECTED' : null),
        multiplier: t.fanOutMultiplier ?? '1',
        maxQtyPerOrder: t.maxQtyPerOrder ?? null,
        maxOpenPosition: t.maxOpenPosition ?? null,
        maxDailyLoss: t.maxDailyLoss ?? null,
        enabled: t.enabled,
        disabledReason: t.disabledReason ?? null,
      };
    });
  }
}

// Another user's account is not found, as for any id that is not yours
async function ownAccount(em: EntityManager, userId: string, accountId: string): Promise<BrokerAccount> {
  const account = await em.findOne(BrokerAccount, { id: assertId(accountId), user: userId });
  if (!account) throw notFound('Broker account');
  return account;
}

// A target on an account its strategy or another of its targets already trades would double the orders there.
// `trading`: the strategy and its targets (a moving target left out); none of them may be on the route's account.
async function checkAccountFree(
  em: EntityManager,
  trading: Strategy[],
  route: { mode: TradingMode; broker: string; brokerAccountId?: string },
): Promise<void> {
  const defaults = await defaultAccounts(
    em,
    trading[0].user.id,
    trading.map((s) => s.broker),
  );
  const key = accountKey({ ...route, id: '' });
  if (!trading.some((s) => accountKey(s, defaults.get(s.broker)) === key)) return;
  const message = `this strategy already trades on ${route.mode === TradingMode.PAPER ? 'a paper account' : `this ${route.broker} account`}`;
  throw badInput(message, [{ path: 'brokerAccountId', message }]);
}

function limits(input: StrategyTargetSettings): Partial<Strategy> {
  return {
    ...(input.maxQtyPerOrder && { maxQtyPerOrder: input.maxQtyPerOrder }),
    ...(input.maxOpenPosition && { maxOpenPosition: input.maxOpenPosition }),
    ...(input.maxDailyLoss && { maxDailyLoss: input.maxDailyLoss }),
  };
}
