import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import type { Sql } from '../../db/sql';
import { ExecutionEventType } from '../../shared/enums';
import type { ExecutionEventsService } from '../executions/execution-events.service';
import { recordPositionMismatch } from '../executions/store/position-check.sql';
import type { StrategySnapshot } from '../strategies/strategy-snapshot';

// Stored on the execution at intake (order units), completed here when the order is planned
export type PositionCheckInput = { prevMarketPosition: 'long' | 'short' | 'flat'; prevPositionQty?: string };

// What the check reads of the claimed execution; marketPositionQty may be set here (syncToTradingView)
type Checked = {
  id: string;
  side: 'BUY' | 'SELL' | 'EXIT';
  requestedQty: string;
  marketPosition?: 'long' | 'short' | 'flat';
  marketPositionQty?: string;
  positionCheck?: unknown;
};

const signOf = (side: string) => (side === 'long' ? 1 : side === 'short' ? -1 : 0);
const describe = (qty: Decimal) =>
  qty.isZero() ? 'flat' : `${qty.isPositive() ? 'long' : 'short'} ${qty.abs().toFixed()}`;

// TradingView's position after the alert's order, from its position before (prev_market_position and its size)
// and the alert's own order, when position_size did not say it: null when it cannot be known
function tradingViewAfter(e: Checked, prevSign: number, prevQty: Decimal | null): Decimal | null {
  const sign = signOf(e.marketPosition ?? '');
  if (!e.marketPosition) return null;
  if (sign === 0) return new Decimal(0);
  if (e.marketPositionQty !== undefined) return new Decimal(e.marketPositionQty).times(sign);
  const qty = new Decimal(e.requestedQty);
  if (prevSign === 0) return qty.gt(0) ? qty.times(sign) : null;
  if (prevQty === null || !qty.gt(0)) return null;
  const signed = prevQty.times(prevSign).plus(e.side === 'BUY' ? qty : qty.neg());
  return signed.isZero() || signOf(signed.isPositive() ? 'long' : 'short') === sign ? signed : null;
}

// A missed or out-of-order alert shows as TradingView's position before this order (prev_market_position) not
// being ours. Checked at order time, against the position the previous order of this turn left, so alerts in
// flight never look like a mismatch. A mismatch is recorded on the execution (positionCheck) and sent to the
// trader as an ERROR event (code position_mismatch, so it reaches the notifications); with syncToTradingView
// the order goes to TradingView's position when it can be known. Consistent alerts write nothing.
export class PositionCheck {
  constructor(
    private readonly sql: Sql,
    private readonly events: ExecutionEventsService,
  ) {}

  async review(
    execution: Checked,
    position: Decimal,
    strategy: Pick<StrategySnapshot, 'syncToTradingView'>,
  ): Promise<void> {
    const input = execution.positionCheck as
      (PositionCheckInput & { mismatch?: boolean; action?: string; targetPosition?: string }) | undefined | null;
    if (!input?.prevMarketPosition) return;
    // A retry: the first attempt decided and notified; its sync target holds (the position it saw was the truth then)
    if (input.mismatch) {
      if (
        input.action === 'synced' &&
        input.targetPosition !== undefined &&
        execution.marketPosition &&
        execution.marketPosition !== 'flat'
      ) {
        execution.marketPositionQty = new Decimal(input.targetPosition).abs().toFixed();
      }
      return;
    }
    const prevSign = signOf(input.prevMarketPosition);
    const prevQty = input.prevPositionQty === undefined ? null : new Decimal(input.prevPositionQty);
    const sideDiffers = prevSign !== (position.isZero() ? 0 : position.isPositive() ? 1 : -1);
    const sizeDiffers = prevQty !== null && !prevQty.eq(position.abs());
    if (!sideDiffers && !sizeDiffers) return;
    const target = strategy.syncToTradingView ? tradingViewAfter(execution, prevSign, prevQty) : null;
    if (target !== null && execution.marketPosition && execution.marketPosition !== 'flat')
      execution.marketPositionQty = target.abs().toFixed();
    const tradingView = prevQty === null ? input.prevMarketPosition : describe(prevQty.times(prevSign));
    const action = target !== null ? 'synced' : strategy.syncToTradingView ? 'flagged_cannot_sync' : 'flagged';
    const message =
      `TradingView was ${tradingView} before this alert but the strategy was ${describe(position)}: an alert was missed or arrived out of order` +
      (action === 'synced'
        ? `; trading to TradingView's position (${describe(target!)})`
        : action === 'flagged_cannot_sync'
          ? "; TradingView's position after it is not known (send position_size)"
          : '');
    const check = {
      ...input,
      ourPosition: position.toFixed(),
      mismatch: true,
      action,
      ...(target !== null && { targetPosition: target.toFixed() }),
    };
    const eventId = randomUUID();
    const payload = { code: 'position_mismatch', message, positionCheck: check };
    const row = await recordPositionMismatch(this.sql, execution.id, check, eventId, payload);
    if (!row) return;
    this.events.publish([
      {
        message: {
          id: eventId,
          type: ExecutionEventType.ERROR,
          executionId: row.id,
          alertId: row.alert_id,
          correlationId: row.correlation_id,
          strategyId: row.strategy_id,
          at: new Date(row.at),
          payload,
          userId: row.user_id,
        },
      },
    ]);
  }
}
