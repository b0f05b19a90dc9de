// What an alert asks for, whichever source sent it (a TradingView webhook, the trader's test alert, a manual exit):
// validated and normalized, in the strategy's units.
import type { StopLevel } from '../risk/stop-level';
import type { ExitSpec } from '../exits/exit-spec';

export type MarketPosition = 'long' | 'short' | 'flat';

export type AlertSignal = {
  secret: string;
  idempotencyKey: string;
  symbol?: string;
  side: 'BUY' | 'SELL' | 'EXIT';
  /** In the strategy's units (lots or shares), whole; absent for an EXIT that closes the whole position */
  qty?: string;
  orderType: 'MARKET' | 'LIMIT' | 'SL' | 'SL-M';
  price?: string;
  triggerPrice?: string;
  timeframe?: string;
  firedAt?: string;
  /** TradingView's position after the order ({{strategy.market_position}}), when the alert carries it */
  marketPosition?: MarketPosition;
  /** Its size, absolute, in the strategy's units ({{strategy.position_size}}), when sent */
  positionSize?: string;
  /** TradingView's position before the order ({{strategy.prev_market_position}}, and its size when sent), for the position check */
  prevMarketPosition?: MarketPosition;
  prevPositionSize?: string;
  /** The alert's stop_loss (a price, a percent or points), read by the risk-per-trade sizing */
  stopLoss?: StopLevel;
  extras?: Record<string, unknown>;
  /** The entry's exits (strategy defaults and the alert's fields) and the ticker its prices arrive under (exits/) */
  exits?: ExitSpec;
  exitTicker?: string;
};
