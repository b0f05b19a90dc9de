import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../../shared/app-error';
import { TradingMode } from '../../shared/enums';
import { findAccount } from '../brokers/broker-account-lookup';
import { Strategy } from './strategy.entity';

// What a fan-out target takes from its strategy: everything that decides what an alert trades. Its own are the
// account (mode, broker, brokerAccountId), the multiplier, the risk limits (maxQtyPerOrder, maxOpenPosition, maxDailyLoss), and
// whether it is enabled (a daily loss on one account stops that account alone).
export const FOLLOWED = [
  'symbol',
  'allowedSymbols',
  'exchangeSegment',
  'productType',
  'timeframe',
  'qty',
  'instrumentOverride',
  'tradingWindowStart',
  'tradingWindowEnd',
  'allowedSides',
  'oppositeSignalPolicy',
  'alertsPerMinute',
  'afterMarketOrders',
  'maxSignalAgeSeconds',
  'cooldownMinutes',
  'maxTradesPerDay',
  'syncToTradingView',
  'sizingMode',
  'sizingValue',
  'requireApproval',
  'approvalTimeoutMinutes',
] as const satisfies ReadonlyArray<keyof Strategy>;

export function followed(parent: Strategy): Partial<Strategy> {
  const out: Record<string, unknown> = {};
  for (const key of FOLLOWED) out[key] = parent[key] ?? null;
  return out as Partial<Strategy>;
}

// Which account a strategy trades on: the strategy's own paper account, or one of the user's accounts at a live
// broker (brokerAccountId; none = the user's default account there, resolved by the caller as `defaultAccountId`).
// A target on the account its strategy (or another target) already trades would double orders.
export const accountKey = (
  s: Pick<Strategy, 'mode' | 'broker' | 'id'> & { brokerAccountId?: string | null },
  defaultAccountId?: string | null,
): string =>
  s.mode === TradingMode.PAPER ? 'paper-account' : `live:${s.broker}:${s.brokerAccountId ?? defaultAccountId ?? ''}`;

// The default account's id per broker, for accountKey of strategies without a brokerAccountId
export async function defaultAccounts(
  em: EntityManager,
  userId: string,
  brokers: string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const broker of new Set(brokers)) {
    const account = await findAccount(em, userId, broker);
    if (account) out.set(broker, account.id);
  }
  return out;
}

export function targetsOf(em: EntityManager, parentId: string): Promise<Strategy[]> {
  return em.find(Strategy, { parentStrategy: parentId, deletedAt: null }, { orderBy: { createdAt: 'asc' } });
}

// After a strategy changes (before its flush): its targets follow, and a route change onto a target's account is
// refused. `enabled`: the owner pausing or resuming the strategy pauses or resumes its targets too.
export async function syncTargets(
  em: EntityManager,
  parent: Strategy,
  change: { enabled?: boolean; deleted?: boolean } = {},
): Promise<void> {
  if (parent.parentStrategy) return;
  const targets = await targetsOf(em, parent.id);
  if (!targets.length) return;
  const defaults = await defaultAccounts(
    em,
    parent.user.id,
    [parent, ...targets].map((s) => s.broker),
  );
  const key = (s: Strategy) => accountKey(s, defaults.get(s.broker));
  for (const target of targets) {
    if (!change.deleted && key(target) === key(parent)) {
      const message = `a fan-out target (${target.name}) already trades on this account; remove it first`;
      throw badInput(message, [{ path: parent.mode === TradingMode.PAPER ? 'mode' : 'broker', message }]);
    }
    em.assign(target, followed(parent));
    if (change.enabled !== undefined) {
      target.enabled = change.enabled;
      if (change.enabled) target.disabledReason = undefined;
    }
    if (change.deleted) {
      target.deletedAt = parent.deletedAt ?? new Date();
      target.enabled = false;
    }
  }
}
