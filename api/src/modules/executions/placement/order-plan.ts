import type { BrokerFeatures, OrderRequest } from '@algodatta/broker-sdk';
import type Decimal from 'decimal.js';
import { D } from '../../../shared/decimal';
import { planOrder, type PlanDecision, type PlanInput } from '../../risk/order-planner';
import type { RuleRejectReason } from '../store/reject-reasons';
import type { StrategySnapshot } from '../../strategies/strategy-snapshot';
import type { ClaimedExecution } from '../store/execution-claim';
import { buildOrderRequest } from './order-request.builder';
import { stopMarketFallback, type StopLimitDecision } from './stop-market-fallback';

// What planOrder is asked for an execution, against the position it would change. Planned from the quantity the
// alert asked for (qty itself becomes what a previous attempt planned)
export function planInput(execution: ClaimedExecution, strategy: StrategySnapshot, position: Decimal): PlanInput {
  const requested = new D(execution.requestedQty);
  return {
    signal: execution.side,
    alertQty: requested.gt(0) ? requested : null,
    position,
    policy: strategy.oppositeSignalPolicy,
    allowedSides: strategy.allowedSides,
    maxOpenPosition: strategy.maxOpenPosition ? new D(strategy.maxOpenPosition).times(execution.lotSize ?? 1) : null,
    ...(execution.marketPosition && {
      marketPosition: {
        side: execution.marketPosition,
        qty: execution.marketPositionQty === undefined ? null : new D(execution.marketPositionQty),
      },
    }),
  };
}

export type PlannedOrder = {
  ok: true;
  side: 'BUY' | 'SELL';
  qty: Decimal;
  // What is sent: the SL-M the alert asked for may go as a stop-limit (stop-market-fallback.ts)
  request: OrderRequest;
  // Why the order is what it is, with the stop-limit's reasons when the fallback was taken
  decision: PlanDecision & { stopLimit?: StopLimitDecision };
};

// The order an execution becomes against the position: planOrder's rules (the alert's qty, the opposite-signal
// policy, allowed sides, the maximum open position, TradingView's market_position), then the stop-market fallback
// the broker's features ask for. The lone attempt and the batch run both plan through here, so a planning rule
// added for one is never missed by the other.
export function planPlacement(
  execution: ClaimedExecution,
  strategy: StrategySnapshot,
  position: Decimal,
  features: Pick<BrokerFeatures, 'orderTypes' | 'stopMarketSegments'>,
  stopLimitBandPercent: string,
): PlannedOrder | { ok: false; reason: RuleRejectReason; message: string } {
  const plan = planOrder(planInput(execution, strategy, position));
  if (!plan.ok) return plan;
  const fallback = stopMarketFallback(
    buildOrderRequest({ ...execution, strategy }, plan.side, plan.qty),
    features,
    stopLimitBandPercent,
    execution.tickSize,
  );
  const decision = fallback.decision ? { ...plan.decision, stopLimit: fallback.decision } : plan.decision;
  return { ok: true, side: plan.side, qty: plan.qty, request: fallback.request, decision };
}
