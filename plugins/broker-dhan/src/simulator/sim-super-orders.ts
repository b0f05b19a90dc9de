// Super orders in the simulator: the entry is a book order; once it trades, a target (LIMIT) and a stop-loss
// (STOP_LOSS_MARKET) leg rest in the book; the first to trade cancels the other (OCO); the stop trails the price
// by trailingJump steps. Statuses: TRANSIT/PENDING/PART_TRADED (entry), TRADED (exits working), TRIGGERED (an exit
// traded in part), CLOSED (an exit traded in full), CANCELLED, REJECTED.
import Decimal from 'decimal.js';
import type { DhanOrderStatus } from '../dhan/dhan.types';
import type { SimBook, SimOrder } from './sim-book';
import { SimOrderError } from './sim-book';
import { formatIst } from './sim-time';
import { SimInputError, validatePlaceBody } from './sim-validate';
import type { ValidPlace } from './sim-validate';

type Super = {
  orderId: string; // the entry's id is the super order's id
  entry: SimOrder;
  targetPrice: string;
  stopLossPrice: string;
  trailingJump: string;
  target?: SimOrder;
  stop?: SimOrder;
  targetCancelled: boolean;
  stopCancelled: boolean;
  // The price the trail is measured from (the entry's average) and the best price since
  anchor?: Decimal;
  status: DhanOrderStatus;
};

const num = (v: unknown, key: string): string => {
  if (v === undefined || v === null || v === '') return '0';
  const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v.trim() : '';
  if (!/^\d+(\.\d+)?$/.test(s)) throw new SimInputError(`${key} must be a non-negative number`);
  return s;
};

export class SimSuperOrders {
  private readonly supers = new Map<string, Super>();

  constructor(
    private readonly book: SimBook,
    private readonly later: (ms: number, fn: () => void) => void,
    private readonly transitMs: number,
  ) {
    book.onChange((o) => this.onOrder(o));
    book.onPrice((securityId, price) => this.onPrice(securityId, price));
  }

  place(body: unknown, clientId: string): Super {
    const b: Record<string, unknown> = { ...(body as Record<string, unknown>), validity: 'DAY' };
    if (b.orderType !== 'LIMIT' && b.orderType !== 'MARKET')
      throw new SimInputError('orderType must be LIMIT or MARKET');
    const v: ValidPlace = validatePlaceBody(b, clientId);
    const targetPrice = num(b.targetPrice, 'targetPrice');
    const stopLossPrice = num(b.stopLossPrice, 'stopLossPrice');
    const trailingJump = num(b.trailingJump, 'trailingJump');
    const t = new Decimal(targetPrice);
    const sl = new Decimal(stopLossPrice);
    if (t.lte(0) || sl.lte(0)) throw new SimInputError('targetPrice and stopLossPrice are required');
    const ref = v.orderType === 'LIMIT' ? new Decimal(v.price) : new Decimal(this.book.priceOf(v.securityId));
    const buy = v.transactionType === 'BUY';
    if (buy ? !(t.gt(ref) && sl.lt(ref)) : !(t.lt(ref) && sl.gt(ref))) {
      throw new SimInputError('targetPrice and stopLossPrice must be on either side of the entry price');
    }
    const entry = this.book.place(v);
    entry.legName = 'ENTRY_LEG';
    const s: Super = {
      orderId: entry.orderId,
      entry,
      targetPrice,
      stopLossPrice,
      trailingJump,
      targetCancelled: false,
      stopCancelled: false,
      status: 'TRANSIT',
    };
    this.supers.set(entry.orderId, s);
    this.later(this.transitMs, () => this.book.admit(entry.orderId));
    return s;
  }

  modify(orderId: string, body: unknown): Super {
    const s = this.mustGet(orderId);
    const b = (body ?? {}) as Record<string, unknown>;
    if (b.orderId !== orderId) throw new SimInputError('orderId does not match the path');
    if (['CLOSED', 'CANCELLED', 'REJECTED', 'EXPIRED'].includes(s.status))
      throw new SimOrderError(`super order is ${s.status}, it cannot be modified`);
    if (b.legName === 'ENTRY_LEG') {
      if (!this.book.isOpen(s.entry)) throw new SimOrderError('the entry leg has traded, it cannot be modified');
      const qty = Number(b.quantity);
      if (!Number.isInteger(qty) || qty <= 0) throw new SimInputError('quantity must be a positive whole number');
      this.book.modify(s.entry.orderId, {
        orderId,
        orderType: s.entry.orderType,
        quantity: qty,
        price: num(b.price, 'price'),
        triggerPrice: '0',
        disclosedQuantity: 0,
        validity: 'DAY',
      });
      if (b.targetPrice !== undefined) s.targetPrice = num(b.targetPrice, 'targetPrice');
      if (b.stopLossPrice !== undefined) s.stopLossPrice = num(b.stopLossPrice, 'stopLossPrice');
      if (b.trailingJump !== undefined) s.trailingJump = num(b.trailingJump, 'trailingJump');
      this.later(this.transitMs, () => this.book.rematch(s.entry.orderId));
    } else if (b.legName === 'TARGET_LEG') {
      if (s.targetCancelled) throw new SimOrderError('the target leg was cancelled');
      s.targetPrice = num(b.targetPrice, 'targetPrice');
      if (s.target && this.book.isOpen(s.target)) {
        s.target.price = s.targetPrice;
        this.book.rematch(s.target.orderId);
      }
    } else if (b.legName === 'STOP_LOSS_LEG') {
      if (s.stopCancelled) throw new SimOrderError('the stop-loss leg was cancelled');
      s.stopLossPrice = num(b.stopLossPrice, 'stopLossPrice');
      s.trailingJump = num(b.trailingJump, 'trailingJump');
      if (s.stop && this.book.isOpen(s.stop)) {
        s.stop.triggerPrice = s.stopLossPrice;
        s.anchor = new Decimal(this.book.priceOf(s.entry.securityId));
        this.book.rematch(s.stop.orderId);
      }
    } else throw new SimInputError('legName must be ENTRY_LEG, TARGET_LEG or STOP_LOSS_LEG');
    return s;
  }

  cancel(orderId: string, leg: string): Super {
    const s = this.mustGet(orderId);
    if (['CLOSED', 'CANCELLED', 'REJECTED', 'EXPIRED'].includes(s.status))
      throw new SimOrderError(`super order is ${s.status}, it cannot be cancelled`);
    const stop = (o?: SimOrder) => {
      if (o && this.book.isOpen(o)) this.book.completeCancel(o.orderId);
    };
    if (leg === 'ENTRY_LEG') {
      s.targetCancelled = true;
      s.stopCancelled = true;
      stop(s.entry);
      stop(s.target);
      stop(s.stop);
      s.status = 'CANCELLED';
    } else if (leg === 'TARGET_LEG') {
      s.targetCancelled = true;
      stop(s.target);
    } else if (leg === 'STOP_LOSS_LEG') {
      s.stopCancelled = true;
      stop(s.stop);
    } else throw new SimInputError('leg must be ENTRY_LEG, TARGET_LEG or STOP_LOSS_LEG');
    // Both exits gone after the entry traded: nothing is left working
    if (s.status !== 'CANCELLED' && s.targetCancelled && s.stopCancelled && s.entry.status === 'TRADED')
      s.status = 'CLOSED';
    return s;
  }

  list(): Super[] {
    return [...this.supers.values()];
  }

  mustGet(orderId: string): Super {
    const s = this.supers.get(orderId);
    if (!s) throw new SimOrderError('no super order found for this id');
    return s;
  }

  private exitOrder(s: Super, kind: 'TARGET_LEG' | 'STOP_LOSS_LEG'): SimOrder {
    const e = s.entry;
    const o = this.book.place({
      correlationId: null,
      transactionType: e.transactionType === 'BUY' ? 'SELL' : 'BUY',
      exchangeSegment: e.exchangeSegment,
      productType: e.productType,
      orderType: kind === 'TARGET_LEG' ? 'LIMIT' : 'STOP_LOSS_MARKET',
      validity: 'DAY',
      securityId: e.securityId,
      quantity: e.filledQty,
      disclosedQuantity: 0,
      price: kind === 'TARGET_LEG' ? s.targetPrice : '0',
      triggerPrice: kind === 'STOP_LOSS_LEG' ? s.stopLossPrice : '0',
      afterMarketOrder: false,
    });
    o.legName = kind;
    return o;
  }

  private onOrder(o: SimOrder): void {
    for (const s of this.supers.values()) {
      if (o === s.entry) {
        if (s.status === 'CANCELLED') return;
        s.status = o.status;
        // The exits start once the entry traded in full (a partial entry keeps waiting, as Dhan's does)
        if (o.status === 'TRADED' && !s.target && !s.stop) {
          s.anchor = new Decimal(o.tradedValue).div(o.filledQty);
          try {
            if (!s.targetCancelled) s.target = this.exitOrder(s, 'TARGET_LEG');
            if (!s.stopCancelled) s.stop = this.exitOrder(s, 'STOP_LOSS_LEG');
          } catch {
            // The kill switch went on meanwhile: the exits cannot be placed; the position stays for the user
            return;
          }
          if (s.target) this.book.admit(s.target.orderId);
          if (s.stop && this.book.isOpen(s.stop)) this.book.admit(s.stop.orderId);
        }
        return;
      }
      if (o === s.target || o === s.stop) {
        const other = o === s.target ? s.stop : s.target;
        if (o.status === 'PART_TRADED') s.status = 'TRIGGERED';
        if (o.status === 'TRADED') {
          // One-cancels-the-other
          if (other && this.book.isOpen(other)) this.book.completeCancel(other.orderId);
          s.status = 'CLOSED';
        }
        return;
      }
    }
  }

  // Trailing: every full trailingJump the price moves in favour beyond the best seen so far lifts the stop as much
  private onPrice(securityId: string, price: string): void {
    const p = new Decimal(price);
    for (const s of this.supers.values()) {
      const jump = new Decimal(s.trailingJump);
      if (!s.stop || !s.anchor || jump.lte(0) || s.entry.securityId !== securityId || !this.book.isOpen(s.stop))
        continue;
      const buy = s.entry.transactionType === 'BUY';
      const gain = buy ? p.minus(s.anchor) : s.anchor.minus(p);
      const steps = gain.div(jump).floor();
      if (steps.lte(0)) continue;
      const move = jump.mul(steps);
      s.anchor = buy ? s.anchor.plus(move) : s.anchor.minus(move);
      s.stop.triggerPrice = (
        buy ? new Decimal(s.stop.triggerPrice).plus(move) : new Decimal(s.stop.triggerPrice).minus(move)
      ).toString();
      s.stop.updatedAt = this.book.opts.now();
    }
  }

  toWire(s: Super): Record<string, unknown> {
    const wire = this.book.toWire(s.entry) as unknown as Record<string, unknown>;
    const leg = (name: 'TARGET_LEG' | 'STOP_LOSS_LEG', o: SimOrder | undefined, cancelled: boolean) => {
      const total = o?.quantity ?? s.entry.quantity;
      const status: DhanOrderStatus = o ? o.status : cancelled ? 'CANCELLED' : 'PENDING';
      return {
        orderId: o?.orderId ?? '',
        legName: name,
        transactionType: s.entry.transactionType === 'BUY' ? 'SELL' : 'BUY',
        totalQuatity: total,
        remainingQuantity: o ? o.quantity - o.filledQty : total,
        triggeredQuantity: o?.filledQty ?? 0,
        price: Number(name === 'TARGET_LEG' ? (o?.price ?? s.targetPrice) : (o?.triggerPrice ?? s.stopLossPrice)),
        orderStatus: status,
        trailingJump: name === 'STOP_LOSS_LEG' ? Number(s.trailingJump) : 0,
      };
    };
    return {
      ...wire,
      orderStatus: s.status,
      legName: 'ENTRY_LEG',
      ltp: Number(this.book.priceOf(s.entry.securityId)),
      updateTime: formatIst(Math.max(s.entry.updatedAt, s.target?.updatedAt ?? 0, s.stop?.updatedAt ?? 0)),
      legDetails: [leg('TARGET_LEG', s.target, s.targetCancelled), leg('STOP_LOSS_LEG', s.stop, s.stopCancelled)],
    };
  }
}
