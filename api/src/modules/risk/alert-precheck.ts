import Decimal from 'decimal.js';
import { AllowedSides, UserStatus } from '../../shared/enums';
import { insideIstWindow } from '../../shared/ist';
import type { BrokerRouter } from '../brokers/broker-route';
import type { InstrumentResolver, OrderInstrument } from '../instruments/instrument-resolver';
import type { PositionService } from '../positions/position.service';
import type { KillSwitchService } from './kill-switch.service';
import type { BrokerRegistry } from '../brokers/plugin-registry';
import type { MarketHours } from '../sessions/market-hours';
import type { Sql } from '../../db/sql';
import type { RuleRejectReason } from '../executions/store/reject-reasons';
import type { StrategySnapshot } from '../strategies/strategy-snapshot';
import { symbolForAlert } from '../strategies/strategy-symbol';
import type { AlertSignal } from '../alerts/alert-signal';
import { refuseEntry } from './entry-rules';
import { isEntry } from './refusal';

export type Precheck =
  { ok: true; instrument: OrderInstrument } | { ok: false; reason: RuleRejectReason; message: string };

export type PrecheckDeps = {
  sql: Sql;
  killSwitch: KillSwitchService;
  router: BrokerRouter;
  instruments: InstrumentResolver;
  positions: PositionService;
  now: () => Date;
  marketHours?: MarketHours;
  /** Where PAPER-mode executions go (the plugin that says paper: true) */
  brokers: Pick<BrokerRegistry, 'paperBroker'>;
  // LIVE accounts' pre-open readiness (brokers/broker-readiness.ts): null when ready, else why not
  readiness?: { refusal(strategy: StrategySnapshot, segment: string): Promise<string | null> };
};

const no = (reason: RuleRejectReason, message: string): Precheck => ({ ok: false, reason, message });

// Rules decided at the webhook (answered 422, alert still recorded). Rules that depend on fills in flight
// (position limits, reversals) are decided again by the executor at order time.
export async function precheckAlert(
  strategy: StrategySnapshot,
  signal: AlertSignal,
  deps: PrecheckDeps,
): Promise<Precheck> {
  if (strategy.userStatus === UserStatus.DISABLED)
    return no('account_disabled', 'this account is disabled; alerts are not traded');
  if (!strategy.enabled)
    return no(
      'strategy_disabled',
      strategy.disabledReason ? `strategy disabled: ${strategy.disabledReason}` : 'strategy is disabled',
    );
  if (await deps.killSwitch.isOn()) return no('kill_switch', 'trading is halted by the kill switch');
  const match = symbolForAlert(strategy, signal.symbol);
  if (!match.ok) return no('symbol_mismatch', match.message);
  // TradingView going flat closes, like EXIT: never held back by the entry rules
  const entry = isEntry(signal);
  const refused = await refuseEntry(strategy, signal, deps);
  if (refused) return refused;
  if (
    entry &&
    strategy.tradingWindowStart &&
    strategy.tradingWindowEnd &&
    !insideIstWindow(deps.now(), strategy.tradingWindowStart, strategy.tradingWindowEnd)
  ) {
    return no(
      'outside_trading_window',
      `entries are allowed ${strategy.tradingWindowStart}-${strategy.tradingWindowEnd} IST`,
    );
  }
  if (entry && strategy.maxQtyPerOrder && new Decimal(signal.qty ?? strategy.qty).gt(strategy.maxQtyPerOrder)) {
    return no(
      'risk_limit',
      `quantity ${signal.qty ?? strategy.qty} is above the maximum ${new Decimal(strategy.maxQtyPerOrder).toFixed()} per order`,
    );
  }
  if (entry && strategy.allowedSides !== AllowedSides.BOTH) {
    const opening = strategy.allowedSides === AllowedSides.LONG_ONLY ? 'SELL' : 'BUY';
    // With TradingView's market_position, its side is where the position goes (a sell that leaves TradingView
    // long only reduces it); without it, the alert's side
    const toward = signal.marketPosition ? (signal.marketPosition === 'long' ? 'BUY' : 'SELL') : signal.side;
    if (toward === opening) {
      const position = await deps.positions.current(deps.sql, strategy.id, match.symbol, strategy.mode);
      const reduces = opening === 'SELL' ? position.gt(0) : position.lt(0);
      if (!reduces)
        return no(
          'side_not_allowed',
          `this strategy is ${strategy.allowedSides === AllowedSides.LONG_ONLY ? 'long' : 'short'} only`,
        );
    }
  }
  if (!(await deps.router.isConnected(strategy)))
    return no('broker_not_connected', `connect your ${strategy.broker} account to trade live`);
  // The security id override names the strategy's own instrument, never another symbol it is allowed to trade
  const resolveFor = match.own ? strategy : { ...strategy, instrumentOverride: undefined };
  const resolved = await deps.instruments.resolve(deps.sql, resolveFor, match.symbol);
  if (!resolved.ok) return no('unknown_symbol', resolved.message);
  const notReady = await deps.readiness?.refusal(strategy, resolved.instrument.exchangeSegment);
  if (notReady) return no('broker_not_ready', notReady);
  // Outside the session a paper order is refused, unless the strategy queues it for the next open (the executor does)
  const session = deps.marketHours?.check(strategy.mode, resolved.instrument.exchangeSegment);
  if (session && !session.open && !strategy.afterMarketOrders) return no('market_closed', session.message);
  return { ok: true, instrument: resolved.instrument };
}
