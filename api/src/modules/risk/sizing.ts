import Decimal from 'decimal.js';
import type { StrategySnapshot } from '../strategies/strategy-snapshot';
import type { AlertSignal } from '../alerts/alert-signal';
import { isEntry, refuse, Refusal } from './refusal';
import { SizingMode } from './sizing-mode';
import { stopDistance } from './stop-level';

// Written on the execution (Execution.sizing). Quantities in the strategy's unit (lots for F&O, MCX and currency,
// shares for equity); orderQty in order units (qty x lot size); money in INR.
export type SizingDecision = {
  mode: SizingMode;
  value?: string;
  lotSize: string;
  inputs: Record<string, string>;
  computed: string;
  cappedBy?: 'maxQtyPerOrder' | 'maxOpenPosition';
  qty: string;
  orderQty: string;
  positionSize?: string;
};

export type Sized = { ok: true; qty: string; positionSize?: string; decision: SizingDecision } | Refusal;

export type CapitalReader = (strategy: StrategySnapshot) => Promise<Decimal | null>;

// Modes that never read the alert's qty: the precheck's per-order limit is not applied to it (the sized quantity
// is capped instead)
export const ignoresAlertQty = (mode?: SizingMode) =>
  mode === SizingMode.FIXED || mode === SizingMode.PERCENT_OF_CAPITAL || mode === SizingMode.RISK_PER_TRADE;

const unavailable = (message: string) => refuse('sizing_unavailable', message);

// An entry's quantity by the strategy's sizing mode: rounded down to whole lots (or shares), then capped by
// maxQtyPerOrder and maxOpenPosition. Null when the mode is ALERT (the alert's qty, else the strategy's: unchanged)
// or the alert is not an entry (exits close what is held, whatever its size).
export async function sizeEntry(
  strategy: StrategySnapshot,
  signal: AlertSignal,
  lotSize: string,
  capital: CapitalReader,
): Promise<Sized | null> {
  const mode = strategy.sizingMode ?? SizingMode.ALERT;
  if (mode === SizingMode.ALERT || !isEntry(signal) || signal.side === 'EXIT') return null;
  const lot = new Decimal(lotSize);
  const value = strategy.sizingValue ? new Decimal(strategy.sizingValue) : null;
  const inputs: Record<string, string> = { strategyQty: new Decimal(strategy.qty).toFixed() };
  if (signal.qty) inputs.alertQty = signal.qty;
  let raw: Decimal;
  let positionSize = signal.positionSize;
  if (mode === SizingMode.FIXED) raw = new Decimal(strategy.qty);
  else if (mode === SizingMode.MULTIPLIER) {
    if (!value) return unavailable('sizingMode MULTIPLIER needs sizingValue');
    inputs.multiplier = value.toFixed();
    raw = new Decimal(signal.qty ?? strategy.qty).times(value);
    // TradingView's position scales with its orders
    if (positionSize !== undefined) positionSize = new Decimal(positionSize).times(value).floor().toFixed();
  } else {
    if (!value) return unavailable(`sizingMode ${mode} needs sizingValue`);
    if (!signal.price) return unavailable(`sizingMode ${mode} needs the alert's price (send "price": "{{close}}")`);
    const price = new Decimal(signal.price);
    inputs.price = price.toFixed();
    if (mode === SizingMode.PERCENT_OF_CAPITAL) {
      let available: Decimal | null;
      try {
        available = await capital(strategy);
      } catch (error) {
        return unavailable(`could not read the account's funds: ${(error as Error).message}`);
      }
      if (!available)
        return unavailable(
          "the account's funds cannot be read (no connected account, or the broker does not report funds)",
        );
      inputs.capital = available.toFixed(2);
      inputs.percent = value.toFixed();
      raw = available.times(value).div(100).div(price.times(lot));
    } else {
      if (!signal.stopLoss)
        return unavailable('sizingMode RISK_PER_TRADE needs the alert\'s stop_loss (a price, "1.5%" or "20pts")');
      const distance = stopDistance(signal.stopLoss, price, signal.side);
      if (!distance.ok) return unavailable(distance.message);
      inputs.stopLoss =
        signal.stopLoss.kind === 'price'
          ? signal.stopLoss.value
          : `${signal.stopLoss.value}${signal.stopLoss.kind === 'percent' ? '%' : 'pts'}`;
      inputs.stopDistance = distance.distance.toFixed();
      inputs.riskAmount = value.toFixed();
      raw = value.div(distance.distance.times(lot));
    }
  }
  const computed = raw.floor();
  let qty = computed;
  let cappedBy: SizingDecision['cappedBy'];
  for (const [limit, name] of [
    [strategy.maxQtyPerOrder, 'maxQtyPerOrder'],
    [strategy.maxOpenPosition, 'maxOpenPosition'],
  ] as const) {
    if (limit && qty.gt(limit)) {
      qty = new Decimal(limit).floor();
      cappedBy = name;
    }
  }
  // A sized position replaces the size TradingView holds: our target is the sized quantity on TradingView's side
  if (
    mode !== SizingMode.MULTIPLIER &&
    signal.marketPosition &&
    signal.marketPosition !== 'flat' &&
    positionSize !== undefined
  )
    positionSize = qty.toFixed();
  const decision: SizingDecision = {
    mode,
    ...(value && { value: value.toFixed() }),
    lotSize: lot.toFixed(),
    inputs,
    computed: computed.toFixed(),
    ...(cappedBy && { cappedBy }),
    qty: qty.toFixed(),
    orderQty: qty.times(lot).toFixed(),
    ...(positionSize !== undefined && { positionSize }),
  };
  if (qty.lte(0)) {
    return refuse(
      'size_too_small',
      `sizing ${mode} gives ${raw.toDecimalPlaces(4).toFixed()} ${lot.gt(1) ? 'lots' : 'shares'}, less than one (${JSON.stringify(inputs)})`,
    );
  }
  return { ok: true, qty: qty.toFixed(), ...(positionSize !== undefined && { positionSize }), decision };
}
