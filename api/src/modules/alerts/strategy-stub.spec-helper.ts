// For specs only: a strategy as the webhook reads it (StrategySnapshot), with plain defaults each spec overrides.
import { AllowedSides, OppositeSignalPolicy, TradingMode } from '../../shared/enums';
import type { StrategySnapshot } from '../strategies/strategy-snapshot';

export const strategyStub = (fields: Partial<StrategySnapshot> = {}): StrategySnapshot => ({
  id: 's1',
  user: { id: 'u1' },
  name: 's1',
  symbol: 'TCS',
  exchangeSegment: 'NSE_EQ',
  productType: 'INTRADAY',
  qty: '1',
  mode: TradingMode.PAPER,
  broker: 'acme',
  enabled: true,
  allowedSides: AllowedSides.BOTH,
  oppositeSignalPolicy: OppositeSignalPolicy.REVERSE,
  alertsPerMinute: 60,
  allowedSymbols: [],
  ...fields,
});
