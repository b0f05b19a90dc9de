import { acceptsStopMarket, type BrokerFeatures, type OrderRequest } from '@algodatta/broker-sdk';
import { D } from '../../../shared/decimal';

/** What was sent instead of SL-M, written into the execution's plan (`stopLimit`) so the trader sees why. */
export type StopLimitDecision = {
  reason: string;
  triggerPrice: string;
  limitPrice: string;
  bandPercent: string;
  tickSize: string;
};

const DEFAULT_TICK = '0.05';

// SL-M is refused on segments under the exchanges' market price protection (DhanHQ: everything but NSE/BSE equity),
// and the broker's manifest says where it is accepted (features.stopMarketSegments). Elsewhere a stop-limit with a
// band behaves the closest: it triggers at the same price and fills at any price up to the band away from the
// trigger. The limit is rounded away from the trigger to a whole tick, so the band is never narrower than asked.
export function stopMarketFallback(
  request: OrderRequest,
  features: Pick<BrokerFeatures, 'orderTypes' | 'stopMarketSegments'>,
  bandPercent: string,
  tickSize?: string,
): { request: OrderRequest; decision?: StopLimitDecision } {
  if (request.type !== 'SL-M' || !request.triggerPrice) return { request };
  const segment = request.instrument.exchangeSegment;
  if (acceptsStopMarket(features, segment) || !features.orderTypes.includes('SL')) return { request };
  const tick = new D(tickSize ?? request.instrument.tickSize ?? DEFAULT_TICK);
  const trigger = new D(request.triggerPrice);
  const band = trigger.times(bandPercent).div(100);
  const buying = request.side === 'BUY';
  const ticks = (buying ? trigger.plus(band) : trigger.minus(band)).div(tick);
  let limit = (buying ? ticks.ceil() : ticks.floor()).times(tick);
  // A sell stop far below zero makes no sense; one tick is the lowest price an exchange takes
  if (limit.lte(0)) limit = tick;
  const limitPrice = limit.toFixed();
  return {
    request: { ...request, type: 'SL', price: limitPrice },
    decision: {
      reason: `the broker does not accept SL-M on ${segment} (market price protection): sent SL with a limit ${bandPercent}% ${buying ? 'above' : 'below'} the trigger`,
      triggerPrice: trigger.toFixed(),
      limitPrice,
      bandPercent: new D(bandPercent).toFixed(),
      tickSize: tick.toFixed(),
    },
  };
}
