import Decimal from 'decimal.js';
import type { DhanFundLimit, DhanOrder, DhanOrderStatus, DhanPosition, DhanTrade } from '../dhan/dhan.types';
import { formatIst } from './sim-time';
import { SimInputError } from './sim-validate';
import type { ValidModify, ValidPlace } from './sim-validate';

export type SimInstrument = { tradingSymbol: string; lotSize: number };

// An order as the simulator keeps it: decimals as strings, times as epoch ms
export type SimOrder = ValidPlace & {
  orderId: string;
  exchangeOrderId: string | null;
  status: DhanOrderStatus;
  filledQty: number;
  tradedValue: string;
  modifications: number;
  triggered: boolean;
  omsErrorCode: string | null;
  omsErrorDescription: string | null;
  createdAt: number;
  updatedAt: number;
  // Super order legs: ENTRY_LEG / TARGET_LEG / STOP_LOSS_LEG; null for plain orders
  legName?: string | null;
};

export type SimTrade = {
  tradeId: string;
  orderId: string;
  exchangeOrderId: string;
  quantity: number;
  price: string;
  at: number;
};

export type SimBookOptions = {
  clientId: string;
  now: () => number;
  initialBalance: string;
  defaultPrice: string;
  instruments: Record<string, SimInstrument>;
  // The exchange algo id stamped on every API order (SEBI retail-algo rule); null to leave it out
  algoId?: string | null;
};

export class SimOrderError extends Error {}

const OPEN: readonly DhanOrderStatus[] = ['TRANSIT', 'PENDING', 'PART_TRADED'];
const MAX_MODIFICATIONS = 25;

export class SimBook {
  readonly orders = new Map<string, SimOrder>();
  readonly trades: SimTrade[] = [];
  readonly prices = new Map<string, string>();
  // Max quantity one match may fill per security; absent means unlimited (used to produce PART_TRADED)
  readonly liquidity = new Map<string, number>();
  killSwitch = false;
  private seq = 0;
  private listeners: ((order: SimOrder, trade?: SimTrade) => void)[] = [];
  private priceListeners: ((securityId: string, price: string) => void)[] = [];

  constructor(readonly opts: SimBookOptions) {}

  onChange(fn: (order: SimOrder, trade?: SimTrade) => void): void {
    this.listeners.push(fn);
  }

  /** Called after every price change, once resting orders were matched against it. */
  onPrice(fn: (securityId: string, price: string) => void): void {
    this.priceListeners.push(fn);
  }

  /** True while any position is open (Dhan's kill switch needs a flat account). */
  hasOpenPositions(): boolean {
    return this.positions().some((p) => p.netQty !== 0);
  }

  priceOf(securityId: string): string {
    return this.prices.get(securityId) ?? this.opts.defaultPrice;
  }

  isOpen(o: SimOrder): boolean {
    return OPEN.includes(o.status);
  }

  place(v: ValidPlace): SimOrder {
    if (this.killSwitch) throw new SimOrderError('Kill switch is active, new orders are not allowed');
    const lot = this.opts.instruments[v.securityId]?.lotSize;
    // Real Dhan answers a wrong lot multiple with DH-905 (or the legacy RS-9005), an input error
    if (lot && v.quantity % lot !== 0) throw new SimInputError(`quantity must be a multiple of the lot size ${lot}`);
    const now = this.opts.now();
    const order: SimOrder = {
      ...v,
      orderId: String(52_000_000_000 + ++this.seq),
      exchangeOrderId: null,
      status: 'TRANSIT',
      filledQty: 0,
      tradedValue: '0',
      modifications: 0,
      triggered: false,
      omsErrorCode: null,
      omsErrorDescription: null,
      createdAt: now,
      updatedAt: now,
    };
    this.orders.set(order.orderId, order);
    return order;
  }

  // TRANSIT -> PENDING (or REJECTED by the RMS) -> matching
  admit(orderId: string): void {
    const o = this.orders.get(orderId);
    if (!o || o.status !== 'TRANSIT') return;
    if (o.transactionType === 'BUY') {
      const px = o.orderType === 'LIMIT' || o.orderType === 'STOP_LOSS' ? o.price : this.priceOf(o.securityId);
      const need = new Decimal(px).mul(o.quantity);
      if (need.gt(this.available())) {
        o.omsErrorCode = 'RMS-INSUFFICIENT-FUNDS';
        o.omsErrorDescription = `Insufficient funds: required ${need.toFixed(2)}, available ${this.available().toFixed(2)}`;
        return this.transition(o, 'REJECTED');
      }
    }
    o.exchangeOrderId = String(1_100_000_000_000 + Number(o.orderId.slice(-6)));
    this.transition(o, 'PENDING');
    this.match(o);
  }

  modify(orderId: string, m: ValidModify): SimOrder {
    const o = this.mustGet(orderId);
    if (!this.isOpen(o)) throw new SimOrderError(`order is ${o.status}, it cannot be modified`);
    if (o.modifications >= MAX_MODIFICATIONS) throw new SimOrderError('maximum modifications reached');
    if (m.quantity < o.filledQty) throw new SimOrderError('quantity is below the traded quantity');
    Object.assign(o, {
      orderType: m.orderType,
      quantity: m.quantity,
      price: m.price,
      triggerPrice: m.triggerPrice,
      disclosedQuantity: m.disclosedQuantity,
      validity: m.validity,
    });
    o.modifications += 1;
    o.updatedAt = this.opts.now();
    return o;
  }

  // After a modification the order goes back through matching
  rematch(orderId: string): void {
    const o = this.orders.get(orderId);
    if (!o || !this.isOpen(o) || o.status === 'TRANSIT') return;
    this.emit(o);
    this.match(o);
  }

  requestCancel(orderId: string): SimOrder {
    const o = this.mustGet(orderId);
    if (!this.isOpen(o)) throw new SimOrderError(`order is ${o.status}, it cannot be cancelled`);
    return o;
  }

  completeCancel(orderId: string): void {
    const o = this.orders.get(orderId);
    if (o && this.isOpen(o)) this.transition(o, 'CANCELLED');
  }

  setPrice(securityId: string, price: string): void {
    this.prices.set(securityId, new Decimal(price).toString());
    for (const o of [...this.orders.values()]) {
      if (o.securityId === securityId && (o.status === 'PENDING' || o.status === 'PART_TRADED')) this.match(o);
    }
    for (const fn of this.priceListeners) fn(securityId, this.priceOf(securityId));
  }

  mustGet(orderId: string): SimOrder {
    const o = this.orders.get(orderId);
    if (!o) throw new SimOrderError('no order found for this id');
    return o;
  }

  byCorrelationId(correlationId: string): SimOrder | undefined {
    let found: SimOrder | undefined;
    for (const o of this.orders.values()) if (o.correlationId === correlationId) found = o;
    return found;
  }

  available(): Decimal {
    let cash = new Decimal(this.opts.initialBalance);
    for (const t of this.trades) {
      const o = this.orders.get(t.orderId);
      const value = new Decimal(t.price).mul(t.quantity);
      cash = o?.transactionType === 'SELL' ? cash.plus(value) : cash.minus(value);
    }
    return cash;
  }

  private match(o: SimOrder): void {
    const market = new Decimal(this.priceOf(o.securityId));
    const buy = o.transactionType === 'BUY';
    if ((o.orderType === 'STOP_LOSS' || o.orderType === 'STOP_LOSS_MARKET') && !o.triggered) {
      const trig = new Decimal(o.triggerPrice);
      if (buy ? market.lt(trig) : market.gt(trig)) return this.expireIoc(o);
      o.triggered = true;
    }
    let fillPrice: Decimal | null = null;
    if (o.orderType === 'MARKET' || o.orderType === 'STOP_LOSS_MARKET') fillPrice = market;
    else {
      const limit = new Decimal(o.price);
      if (buy ? market.lte(limit) : market.gte(limit)) fillPrice = market;
    }
    if (!fillPrice) return this.expireIoc(o);
    const remaining = o.quantity - o.filledQty;
    const qty = Math.min(remaining, this.liquidity.get(o.securityId) ?? remaining);
    if (qty <= 0) return this.expireIoc(o);
    const trade: SimTrade = {
      tradeId: String(9_000_000 + this.trades.length + 1),
      orderId: o.orderId,
      exchangeOrderId: o.exchangeOrderId ?? '',
      quantity: qty,
      price: fillPrice.toString(),
      at: this.opts.now(),
    };
    this.trades.push(trade);
    o.filledQty += qty;
    o.tradedValue = new Decimal(o.tradedValue).plus(fillPrice.mul(qty)).toString();
    this.transition(o, o.filledQty === o.quantity ? 'TRADED' : 'PART_TRADED', trade);
    this.expireIoc(o);
  }

  private expireIoc(o: SimOrder): void {
    if (o.validity === 'IOC' && this.isOpen(o)) this.transition(o, 'CANCELLED');
  }

  private transition(o: SimOrder, status: DhanOrderStatus, trade?: SimTrade): void {
    o.status = status;
    o.updatedAt = this.opts.now();
    this.emit(o, trade);
  }

  private emit(o: SimOrder, trade?: SimTrade): void {
    for (const fn of this.listeners) fn(o, trade);
  }

  toWire(o: SimOrder): DhanOrder {
    const inst = this.opts.instruments[o.securityId];
    return {
      dhanClientId: this.opts.clientId,
      orderId: o.orderId,
      exchangeOrderId: o.exchangeOrderId,
      correlationId: o.correlationId,
      orderStatus: o.status,
      transactionType: o.transactionType,
      exchangeSegment: o.exchangeSegment,
      productType: o.productType,
      orderType: o.orderType,
      validity: o.validity,
      tradingSymbol: inst?.tradingSymbol ?? null,
      securityId: o.securityId,
      quantity: o.quantity,
      disclosedQuantity: o.disclosedQuantity,
      price: Number(o.price),
      triggerPrice: Number(o.triggerPrice),
      afterMarketOrder: o.afterMarketOrder,
      boProfitValue: null,
      boStopLossValue: null,
      legName: o.legName ?? null,
      createTime: formatIst(o.createdAt),
      updateTime: formatIst(o.updatedAt),
      exchangeTime: o.exchangeOrderId ? formatIst(o.updatedAt) : null,
      drvExpiryDate: null,
      drvOptionType: null,
      drvStrikePrice: null,
      omsErrorCode: o.omsErrorCode,
      omsErrorDescription: o.omsErrorDescription,
      algoId: this.opts.algoId ?? null,
      remainingQuantity: o.quantity - o.filledQty,
      averageTradedPrice: o.filledQty ? new Decimal(o.tradedValue).div(o.filledQty).toDecimalPlaces(2).toNumber() : 0,
      filledQty: o.filledQty,
    };
  }

  tradeToWire(t: SimTrade): DhanTrade {
    const o = this.mustGet(t.orderId);
    return {
      dhanClientId: this.opts.clientId,
      orderId: t.orderId,
      exchangeOrderId: t.exchangeOrderId,
      exchangeTradeId: t.tradeId,
      transactionType: o.transactionType,
      exchangeSegment: o.exchangeSegment,
      productType: o.productType,
      orderType: o.orderType,
      tradingSymbol: this.opts.instruments[o.securityId]?.tradingSymbol ?? null,
      customSymbol: null,
      securityId: o.securityId,
      tradedQuantity: t.quantity,
      tradedPrice: Number(t.price),
      createTime: formatIst(t.at),
      updateTime: formatIst(t.at),
      exchangeTime: formatIst(t.at),
      drvExpiryDate: null,
      drvOptionType: null,
      drvStrikePrice: null,
    };
  }

  positions(): DhanPosition[] {
    type Agg = { o: SimOrder; buyQty: number; sellQty: number; buyValue: Decimal; sellValue: Decimal };
    const aggs = new Map<string, Agg>();
    for (const t of this.trades) {
      const o = this.mustGet(t.orderId);
      const key = `${o.exchangeSegment}|${o.securityId}|${o.productType}`;
      const a = aggs.get(key) ?? { o, buyQty: 0, sellQty: 0, buyValue: new Decimal(0), sellValue: new Decimal(0) };
      const value = new Decimal(t.price).mul(t.quantity);
      if (o.transactionType === 'BUY') {
        a.buyQty += t.quantity;
        a.buyValue = a.buyValue.plus(value);
      } else {
        a.sellQty += t.quantity;
        a.sellValue = a.sellValue.plus(value);
      }
      aggs.set(key, a);
    }
    return [...aggs.values()].map((a) => {
      const buyAvg = a.buyQty ? a.buyValue.div(a.buyQty) : new Decimal(0);
      const sellAvg = a.sellQty ? a.sellValue.div(a.sellQty) : new Decimal(0);
      const net = a.buyQty - a.sellQty;
      const closed = Math.min(a.buyQty, a.sellQty);
      const ltp = new Decimal(this.priceOf(a.o.securityId));
      const openAvg = net > 0 ? buyAvg : sellAvg;
      const num = (d: Decimal) => d.toDecimalPlaces(2).toNumber();
      return {
        dhanClientId: this.opts.clientId,
        tradingSymbol: this.opts.instruments[a.o.securityId]?.tradingSymbol ?? null,
        securityId: a.o.securityId,
        positionType: net > 0 ? 'LONG' : net < 0 ? 'SHORT' : 'CLOSED',
        exchangeSegment: a.o.exchangeSegment,
        productType: a.o.productType,
        buyAvg: num(buyAvg),
        costPrice: num(openAvg),
        buyQty: a.buyQty,
        sellAvg: num(sellAvg),
        sellQty: a.sellQty,
        netQty: net,
        realizedProfit: num(sellAvg.minus(buyAvg).mul(closed)),
        unrealizedProfit: num(ltp.minus(openAvg).mul(net)),
        rbiReferenceRate: 1,
        multiplier: 1,
        carryForwardBuyQty: 0,
        carryForwardSellQty: 0,
        carryForwardBuyValue: 0,
        carryForwardSellValue: 0,
        dayBuyQty: a.buyQty,
        daySellQty: a.sellQty,
        dayBuyValue: num(a.buyValue),
        daySellValue: num(a.sellValue),
        drvExpiryDate: null,
        drvOptionType: null,
        drvStrikePrice: null,
        crossCurrency: false,
      } satisfies DhanPosition;
    });
  }

  funds(): DhanFundLimit {
    const initial = new Decimal(this.opts.initialBalance);
    const available = this.available();
    const num = (d: Decimal) => d.toDecimalPlaces(2).toNumber();
    return {
      dhanClientId: this.opts.clientId,
      availabelBalance: num(available),
      sodLimit: num(initial),
      collateralAmount: 0,
      receiveableAmount: 0,
      utilizedAmount: num(Decimal.max(initial.minus(available), 0)),
      blockedPayoutAmount: 0,
      withdrawableBalance: num(Decimal.max(available, 0)),
    };
  }
}
