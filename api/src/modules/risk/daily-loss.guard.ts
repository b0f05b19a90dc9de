import { MikroORM } from '@mikro-orm/postgresql';
import { D } from '../../shared/decimal';
import { istDayRange, istParts } from '../../shared/ist';
import { logger } from '../../shared/logger';
import { audit } from '../audit/audit.service';
import { NotificationEvent } from '../../shared/enums';
import { enqueueNotification } from '../notifications/notification-enqueue';
import { Strategy } from '../strategies/strategy.entity';

export const DAILY_LOSS_REASON = 'max_daily_loss';

// After each fill: when today's (IST) realized P&L of a strategy, net of charges, reaches -maxDailyLoss, the
// strategy is disabled (new alerts get 422 strategy_disabled) and its owner is notified. One strategy, many
// accounts: a strategy's disable stops its fan-out targets too (they trade its alerts on other accounts); a
// target's own limit (its own P&L, on its account) disables that target alone.
export class DailyLossGuard {
  constructor(
    private readonly orm: MikroORM,
    // Told after a strategy is disabled (the webhook's strategy cache forgets it)
    private readonly onDisabled: (strategyId: string) => void = () => undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async check(strategyId: string): Promise<boolean> {
    const em = this.orm.em.fork();
    const strategy = await em.findOne(Strategy, strategyId);
    if (!strategy?.maxDailyLoss || !strategy.enabled) return false;
    const { start, end } = istDayRange(istParts(this.now()).date);
    const [row] = await em
      .getConnection()
      .execute<{ pnl: string | null }[]>(
        'select sum(pnl) as pnl from executions where strategy_id = ? and updated_at >= ? and updated_at < ?',
        [strategyId, start, end],
      );
    const pnl = new D(row?.pnl ?? 0);
    if (pnl.gt(new D(strategy.maxDailyLoss).neg())) return false;
    const claimed = await em.nativeUpdate(
      Strategy,
      { id: strategyId, enabled: true },
      { enabled: false, disabledReason: DAILY_LOSS_REASON },
    );
    if (!claimed) return false;
    // Its targets (none when it is a target itself) stop with it; the owner enabling it again enables them again
    // (strategy-targets.sync.ts)
    const targets = strategy.parentStrategy
      ? []
      : await em.find(Strategy, { parentStrategy: strategyId, deletedAt: null, enabled: true }, { fields: ['id'] });
    if (targets.length)
      await em.nativeUpdate(
        Strategy,
        { id: { $in: targets.map((t) => t.id) }, enabled: true },
        { enabled: false, disabledReason: DAILY_LOSS_REASON },
      );
    this.onDisabled(strategyId);
    audit(em, {
      action: 'strategy.auto_disable',
      entityType: 'strategy',
      entityId: strategyId,
      details: {
        reason: DAILY_LOSS_REASON,
        pnl: pnl.toFixed(),
        ...(targets.length && { targetIds: targets.map((t) => t.id) }),
      },
    });
    enqueueNotification(em, {
      event: NotificationEvent.STRATEGY_DISABLED,
      userId: strategy.user.id,
      strategyId,
      data: {
        reason: DAILY_LOSS_REASON,
        pnl: pnl.toFixed(2),
        limit: strategy.maxDailyLoss,
        ...(targets.length && { targets: targets.length }),
      },
    });
    await em.flush();
    logger.warn('strategy disabled by the daily loss limit', {
      strategyId,
      pnl: pnl.toFixed(),
      targets: targets.length,
    });
    return true;
  }
}
