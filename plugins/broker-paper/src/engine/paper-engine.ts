// The paper matching engine shared by every client of one database: orders, fills, positions, prices.
// Every state change runs in a transaction that first locks the account row (or, for an order filled the moment
// it is placed, the position row it changes), so concurrent changes cannot corrupt a position; different
// accounts proceed in parallel.

import type {
  ExchangeSegment,
  Fill,
  Order,
  OrderFilter,
  OrderPatch,
  OrderUpdate,
  Position,
  Product,
  Side,
} from '@algodatta/broker-sdk';
import { InvalidOrderError, OrderNotFoundError, RejectedError } from '@algodatta/broker-sdk';
import type { Pool, PoolClient } from 'pg';
import { computeCharges } from '../charges.calc';
import type { Dec } from '../decimal';
import { D, roundToTick, str, ZERO } from '../decimal';
import { matchOrder, type MatchDecision } from '../fill-price.calc';
import { istDate, istInstant } from '@algodatta/broker-sdk';
import { applyFill } from '../position.calc';
import { PAPER_SESSION_END } from '../sessions.config';
import type { FillRow, OrderRow, PositionRow } from '../db/rows';
import { BROKER, toFill, toOrder, toPosition } from '../db/rows';
import { ensureSchema } from '../db/schema';
import { OrderEvents } from './order-events';
import { PriceEvents } from './price-events';
import { PriceBook } from './price-book';
import { inTransaction } from './tx';
import { EntryFills } from './entry-fill';
import { duplicateOrder, ORDER_COLUMNS } from './order-sql';

export type NewOrder = {
  accountId: string;
  clientOrderId: string;
  symbol: string;
  exchangeSegment: ExchangeSegment;
  securityId?: string;
  lotSize: Dec;
  tickSize: Dec;
  isOption: boolean;
  slippageBps: Dec;
  side: Side;
  type: Order['type'];
  product: Product;
  timeInForce: Order['timeInForce'];
  quantity: Dec;
  price: Dec | null;
  triggerPrice: Dec | null;
  tag?: string;
  /** Price to decide the order against on entry (MARKET needs one). */
  lastPrice: Dec | null;
};

let idSeq = 0;
function newBrokerOrderId(now: number): string {
  idSeq = (idSeq + 1) % 1_000_000;
  // Time, process-unique sequence and randomness: unique across restarts and processes
  return `P${now.toString(36)}${idSeq.toString(36)}${Math.random().toString(36).slice(2, 8)}`.toUpperCase();
}

// Whether an order fills on entry, and at what price: it depends only on the order and the price it is placed
// against (none without a price)
function entryMatch(o: NewOrder): MatchDecision | null {
  if (!o.lastPrice) return null;
  return matchOrder(
    { side: o.side, type: o.type, price: o.price, triggerPrice: o.triggerPrice, triggered: false },
    o.lastPrice,
    o.slippageBps,
    o.tickSize,
    true,
  );
}

export class PaperEngine {
  readonly prices: PriceBook;
  readonly events: OrderEvents;
  readonly priceEvents: PriceEvents;
  private readonly entryFills: EntryFills;
  private schemaReady: Promise<void> | null = null;

  constructor(
    readonly pool: Pool,
    onHandlerError: (e: unknown) => void,
  ) {
    this.prices = new PriceBook(pool);
    this.entryFills = new EntryFills(pool);
    this.events = new OrderEvents(onHandlerError);
    this.priceEvents = new PriceEvents(onHandlerError);
  }

  ready(): Promise<void> {
    if (!this.schemaReady) {
      this.schemaReady = ensureSchema(this.pool).catch((e: unknown) => {
        this.schemaReady = null;
        throw e;
      });
    }
    return this.schemaReady;
  }

  async ensureAccount(accountId: string, initialCapital: Dec, now: number): Promise<void> {
    await this.pool.query(
      'INSERT INTO paper_accounts (account_id, initial_capital, created_at) VALUES ($1, $2, $3) ON CONFLICT (account_id) DO NOTHING',
      [accountId, str(initialCapital), now],
    );
  }

  // ---- orders -------------------------------------------------------------------------------------------

  async placeOrder(o: NewOrder, now: number): Promise<Order> {
    const updates: OrderUpdate[] = [];
    const brokerOrderId = newBrokerOrderId(now);
    const entry = entryMatch(o);
    if (entry?.action === 'fill') {
      const filled = await this.entryFills.place(o, brokerOrderId, entry.price, entry.triggered, now, updates);
      this.events.publish(o.accountId, updates);
      return filled;
    }
    const order = await inTransaction(this.pool, async (c) => {
      await lockAccount(c, o.accountId);
      const inserted = await c.query<OrderRow>(
        `INSERT INTO paper_orders (${ORDER_COLUMNS})
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,false,'open',0,NULL,NULL,$18,$19,$19)
         ON CONFLICT (account_id, client_order_id) DO NOTHING RETURNING *`,
        [
          o.accountId,
          o.clientOrderId,
          brokerOrderId,
          o.symbol,
          o.exchangeSegment,
          o.securityId ?? null,
          str(o.lotSize),
          str(o.tickSize),
          o.isOption,
          str(o.slippageBps),
          o.side,
          o.type,
          o.product,
          o.timeInForce,
          str(o.quantity),
          o.price ? str(o.price) : null,
          o.triggerPrice ? str(o.triggerPrice) : null,
          o.tag ?? null,
          now,
        ],
      );
      if (inserted.rowCount === 0) throw duplicateOrder(o);
      let row = inserted.rows[0];
      updates.push({ kind: 'order', tracked: true, order: toOrder(row), ts: now });
      if (o.lastPrice) row = await this.tryMatch(c, row, o.lastPrice, now, true, updates);
      if (row.status === 'open' && row.time_in_force === 'IOC') {
        row = await this.setStatus(c, row, 'cancelled', now, updates, 'IOC: not marketable on entry');
      }
      return toOrder(row);
    });
    this.events.publish(o.accountId, updates);
    return order;
  }

  // Orders placed one after another, as placeOrder would: those of one position that all fill on entry are written
  // together (one statement once the position is known here), the others one at a time
  async placeOrders(orders: NewOrder[], now: number): Promise<Order[]> {
    const first = orders[0];
    const entries = orders.map((o) => ({ o, entry: entryMatch(o) }));
    const together =
      first &&
      entries.every(
        ({ o, entry }) =>
          entry?.action === 'fill' &&
          o.accountId === first.accountId &&
          o.exchangeSegment === first.exchangeSegment &&
          o.symbol === first.symbol &&
          o.product === first.product,
      );
    if (!together) {
      const placed: Order[] = [];
      for (const o of orders) placed.push(await this.placeOrder(o, now));
      return placed;
    }
    const updates: OrderUpdate[] = [];
    try {
      return await this.entryFills.placeMany(
        entries.map(({ o, entry }) => ({
          o,
          brokerOrderId: newBrokerOrderId(now),
          price: entry!.action === 'fill' ? entry!.price : ZERO,
          triggered: entry!.triggered,
          now,
        })),
        updates,
      );
    } finally {
      // What was written is reported, even when a later order of the call failed
      this.events.publish(first.accountId, updates);
    }
  }

  async modifyOrder(accountId: string, clientOrderId: string, patch: OrderPatch, now: number): Promise<Order> {
    const updates: OrderUpdate[] = [];
    const order = await inTransaction(this.pool, async (c) => {
      await lockAccount(c, accountId);
      const row = await this.lockOrder(c, accountId, clientOrderId);
      if (row.status !== 'open') {
        throw new RejectedError(`paper: order ${clientOrderId} is ${row.status} and cannot be modified`, {
          broker: BROKER,
        });
      }
      const tick = new D(row.tick_size);
      const lot = new D(row.lot_size);
      const sets: string[] = [];
      const values: unknown[] = [];
      const set = (col: string, v: unknown) => {
        values.push(v);
        sets.push(`${col} = $${values.length}`);
      };
      if (patch.quantity !== undefined) {
        const q = new D(patch.quantity);
        if (!q.mod(lot).isZero() || !q.isInteger()) {
          throw new InvalidOrderError(
            `paper: quantity ${patch.quantity} is not a multiple of the lot size ${str(lot)}`,
            { broker: BROKER },
          );
        }
        set('quantity', str(q));
      }
      if (patch.price !== undefined) {
        if (row.type !== 'LIMIT' && row.type !== 'SL')
          throw new InvalidOrderError(`paper: a ${row.type} order has no price`, { broker: BROKER });
        set('price', str(roundToTick(new D(patch.price), tick)));
      }
      if (patch.triggerPrice !== undefined) {
        if (row.type !== 'SL' && row.type !== 'SL-M')
          throw new InvalidOrderError(`paper: a ${row.type} order has no trigger`, { broker: BROKER });
        set('trigger_price', str(roundToTick(new D(patch.triggerPrice), tick)));
      }
      if (patch.type !== undefined && patch.type !== row.type) {
        throw new InvalidOrderError('paper: changing the order type is not supported', { broker: BROKER });
      }
      set('updated_at', now);
      values.push(accountId, clientOrderId);
      const r = await c.query<OrderRow>(
        `UPDATE paper_orders SET ${sets.join(', ')} WHERE account_id = $${values.length - 1} AND client_order_id = $${values.length} RETURNING *`,
        values,
      );
      let updated = r.rows[0];
      updates.push({ kind: 'order', tracked: true, order: toOrder(updated), ts: now });
      const last = await this.prices.get(updated.exchange_segment, updated.symbol);
      if (last) updated = await this.tryMatch(c, updated, last.price, now, true, updates);
      return toOrder(updated);
    });
    this.events.publish(accountId, updates);
    return order;
  }

  async cancelOrder(accountId: string, clientOrderId: string, now: number): Promise<Order> {
    const updates: OrderUpdate[] = [];
    const order = await inTransaction(this.pool, async (c) => {
      await lockAccount(c, accountId);
      const row = await this.lockOrder(c, accountId, clientOrderId);
      if (row.status !== 'open') {
        throw new RejectedError(`paper: order ${clientOrderId} is already ${row.status}`, { broker: BROKER });
      }
      return toOrder(await this.setStatus(c, row, 'cancelled', now, updates));
    });
    this.events.publish(accountId, updates);
    return order;
  }

  async getOrder(accountId: string, ref: { clientOrderId: string; brokerOrderId?: string }): Promise<Order> {
    const r = await this.pool.query<OrderRow>(
      'SELECT * FROM paper_orders WHERE account_id = $1 AND (client_order_id = $2 OR broker_order_id = $3)',
      [accountId, ref.clientOrderId, ref.brokerOrderId ?? null],
    );
    if (r.rowCount === 0)
      throw new OrderNotFoundError(`paper: no order ${ref.clientOrderId} on account ${accountId}`, { broker: BROKER });
    return toOrder(r.rows[0]);
  }

  async listOrders(accountId: string, filter: OrderFilter = {}): Promise<Order[]> {
    const r = await this.pool.query<OrderRow>(
      `SELECT * FROM paper_orders WHERE account_id = $1
         AND ($2::text[] IS NULL OR status = ANY($2)) AND ($3::text IS NULL OR symbol = $3) AND ($4::bigint IS NULL OR created_at >= $4)
       ORDER BY created_at DESC, broker_order_id DESC LIMIT 1000`,
      [accountId, filter.status ?? null, filter.symbol ?? null, filter.since ?? null],
    );
    return r.rows.map(toOrder);
  }

  async listFills(accountId: string, filter: OrderFilter = {}): Promise<Fill[]> {
    const r = await this.pool.query<FillRow>(
      `SELECT * FROM paper_fills WHERE account_id = $1 AND ($2::text IS NULL OR symbol = $2) AND ($3::bigint IS NULL OR ts >= $3)
       ORDER BY ts DESC, trade_id DESC LIMIT 5000`,
      [accountId, filter.symbol ?? null, filter.since ?? null],
    );
    return r.rows.map(toFill);
  }

  // ---- prices and matching ------------------------------------------------------------------------------

  /** Records a price and fills every resting order (any account) it crosses. Returns the orders it filled. */
  async updatePrice(segment: ExchangeSegment, symbol: string, price: Dec, ts: number, now: number): Promise<Order[]> {
    const applied = await this.prices.set(segment, symbol, price, ts);
    if (!applied) return [];
    this.priceEvents.publish({ segment, symbol, price: str(price), ts });
    const open = await this.pool.query<OrderRow>(
      `SELECT * FROM paper_orders WHERE exchange_segment = $1 AND symbol = $2 AND status = 'open' ORDER BY created_at, broker_order_id`,
      [segment, symbol],
    );
    const filled: Order[] = [];
    for (const candidate of open.rows) {
      const d = matchOrder(
        rowToResting(candidate),
        price,
        new D(candidate.slippage_bps),
        new D(candidate.tick_size),
        false,
      );
      if (d.action === 'none' && d.triggered === candidate.triggered) continue;
      const updates: OrderUpdate[] = [];
      const row = await inTransaction(this.pool, async (c) => {
        await lockAccount(c, candidate.account_id);
        const fresh = await this.lockOrder(c, candidate.account_id, candidate.client_order_id);
        if (fresh.status !== 'open') return fresh;
        return this.tryMatch(c, fresh, price, now, false, updates);
      });
      this.events.publish(candidate.account_id, updates);
      if (row.status === 'filled') filled.push(toOrder(row));
    }
    return filled;
  }

  private async tryMatch(
    c: PoolClient,
    row: OrderRow,
    last: Dec,
    now: number,
    onEntry: boolean,
    updates: OrderUpdate[],
  ): Promise<OrderRow> {
    const d = matchOrder(rowToResting(row), last, new D(row.slippage_bps), new D(row.tick_size), onEntry);
    if (d.action === 'fill') return this.executeFill(c, row, d.price, d.triggered, now, updates);
    if (d.triggered !== row.triggered) {
      const r = await c.query<OrderRow>(
        'UPDATE paper_orders SET triggered = true, updated_at = $3 WHERE account_id = $1 AND client_order_id = $2 RETURNING *',
        [row.account_id, row.client_order_id, now],
      );
      updates.push({ kind: 'order', tracked: true, order: toOrder(r.rows[0]), ts: now });
      return r.rows[0];
    }
    return row;
  }

  private async executeFill(
    c: PoolClient,
    row: OrderRow,
    price: Dec,
    triggered: boolean,
    now: number,
    updates: OrderUpdate[],
  ): Promise<OrderRow> {
    const qty = new D(row.quantity).minus(row.filled_quantity);
    const charges = computeCharges({
      segment: row.exchange_segment,
      product: row.product,
      side: row.side,
      quantity: qty,
      price,
      option: row.is_option,
    });
    // One fill per order, so the trade id is deterministic: a retried fill hits the primary key instead of doubling
    const tradeId = `${row.broker_order_id}-T1`;
    const fill = await c.query<FillRow>(
      `INSERT INTO paper_fills (trade_id, account_id, client_order_id, broker_order_id, symbol, exchange_segment, security_id,
         side, product, quantity, price, charges, charges_total, ts)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) RETURNING *`,
      [
        tradeId,
        row.account_id,
        row.client_order_id,
        row.broker_order_id,
        row.symbol,
        row.exchange_segment,
        row.security_id,
        row.side,
        row.product,
        str(qty),
        str(price),
        JSON.stringify(charges),
        charges.total,
        now,
      ],
    );
    await this.applyToPosition(c, row, qty, price, new D(charges.total), now);
    const r = await c.query<OrderRow>(
      `UPDATE paper_orders SET status = 'filled', filled_quantity = quantity, average_price = $3, triggered = $4, updated_at = $5
       WHERE account_id = $1 AND client_order_id = $2 RETURNING *`,
      [row.account_id, row.client_order_id, str(price), triggered, now],
    );
    updates.push({ kind: 'fill', tracked: true, fill: toFill(fill.rows[0]), ts: now });
    updates.push({ kind: 'order', tracked: true, order: toOrder(r.rows[0]), ts: now });
    return r.rows[0];
  }

  private async applyToPosition(
    c: PoolClient,
    row: OrderRow,
    qty: Dec,
    price: Dec,
    charges: Dec,
    now: number,
  ): Promise<void> {
    const cur = await c.query<PositionRow>(
      `SELECT * FROM paper_positions WHERE account_id = $1 AND exchange_segment = $2 AND symbol = $3 AND product = $4 FOR UPDATE`,
      [row.account_id, row.exchange_segment, row.symbol, row.product],
    );
    const p = cur.rows[0];
    const before = p
      ? { netQuantity: new D(p.net_quantity), averagePrice: new D(p.average_price), realizedPnl: new D(p.realized_pnl) }
      : { netQuantity: ZERO, averagePrice: ZERO, realizedPnl: ZERO };
    const after = applyFill(before, row.side, qty, price);
    const buy = row.side === 'BUY' ? qty : ZERO;
    const sell = row.side === 'SELL' ? qty : ZERO;
    await c.query(
      `INSERT INTO paper_positions (account_id, symbol, exchange_segment, product, security_id, net_quantity, average_price,
         realized_pnl, charges, buy_quantity, sell_quantity, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)
       ON CONFLICT (account_id, exchange_segment, symbol, product) DO UPDATE SET
         net_quantity = EXCLUDED.net_quantity, average_price = EXCLUDED.average_price, realized_pnl = EXCLUDED.realized_pnl,
         charges = paper_positions.charges + EXCLUDED.charges, buy_quantity = paper_positions.buy_quantity + EXCLUDED.buy_quantity,
         sell_quantity = paper_positions.sell_quantity + EXCLUDED.sell_quantity, updated_at = EXCLUDED.updated_at,
         security_id = COALESCE(EXCLUDED.security_id, paper_positions.security_id), revision = paper_positions.revision + 1`,
      [
        row.account_id,
        row.symbol,
        row.exchange_segment,
        row.product,
        row.security_id,
        str(after.netQuantity),
        str(after.averagePrice),
        str(after.realizedPnl),
        str(charges),
        str(buy),
        str(sell),
        now,
      ],
    );
  }

  private async lockOrder(c: PoolClient, accountId: string, clientOrderId: string): Promise<OrderRow> {
    const r = await c.query<OrderRow>(
      'SELECT * FROM paper_orders WHERE account_id = $1 AND client_order_id = $2 FOR UPDATE',
      [accountId, clientOrderId],
    );
    if (r.rowCount === 0)
      throw new OrderNotFoundError(`paper: no order ${clientOrderId} on account ${accountId}`, { broker: BROKER });
    return r.rows[0];
  }

  private async setStatus(
    c: PoolClient,
    row: OrderRow,
    status: Order['status'],
    now: number,
    updates: OrderUpdate[],
    reason?: string,
  ): Promise<OrderRow> {
    const r = await c.query<OrderRow>(
      `UPDATE paper_orders SET status = $3, updated_at = $4, reject_reason = COALESCE($5, reject_reason)
       WHERE account_id = $1 AND client_order_id = $2 RETURNING *`,
      [row.account_id, row.client_order_id, status, now, reason ?? null],
    );
    updates.push({ kind: 'order', tracked: true, order: toOrder(r.rows[0]), ts: now });
    return r.rows[0];
  }

  // ---- session rules ------------------------------------------------------------------------------------

  /** Expires open DAY orders whose session (IST, PAPER_SESSION_END) ended at or before `now`. null account: all. */
  async expireDayOrders(accountId: string | null, now: number): Promise<Order[]> {
    const r = await this.pool.query<OrderRow>(
      `SELECT * FROM paper_orders WHERE status = 'open' AND time_in_force = 'DAY' AND ($1::text IS NULL OR account_id = $1)`,
      [accountId],
    );
    const expired: Order[] = [];
    for (const candidate of r.rows) {
      const end = istInstant(istDate(Number(candidate.created_at)), PAPER_SESSION_END[candidate.exchange_segment]);
      if (now < end) continue;
      const updates: OrderUpdate[] = [];
      const row = await inTransaction(this.pool, async (c) => {
        await lockAccount(c, candidate.account_id);
        const fresh = await this.lockOrder(c, candidate.account_id, candidate.client_order_id);
        if (fresh.status !== 'open') return null;
        return this.setStatus(c, fresh, 'expired', now, updates, 'DAY order expired at session end');
      });
      this.events.publish(candidate.account_id, updates);
      if (row) expired.push(toOrder(row));
    }
    return expired;
  }

  /** Open INTRADAY orders in the segments (cancelled by square-off). */
  async openIntradayOrders(accountId: string | null, segments: ExchangeSegment[]): Promise<OrderRow[]> {
    const r = await this.pool.query<OrderRow>(
      `SELECT * FROM paper_orders WHERE status = 'open' AND product = 'INTRADAY' AND exchange_segment = ANY($1)
         AND ($2::text IS NULL OR account_id = $2)`,
      [segments, accountId],
    );
    return r.rows;
  }

  async openIntradayPositions(accountId: string | null, segments: ExchangeSegment[]): Promise<PositionRow[]> {
    const r = await this.pool.query<PositionRow>(
      `SELECT * FROM paper_positions WHERE product = 'INTRADAY' AND net_quantity <> 0 AND exchange_segment = ANY($1)
         AND ($2::text IS NULL OR account_id = $2) ORDER BY account_id, exchange_segment, symbol`,
      [segments, accountId],
    );
    return r.rows;
  }

  // ---- account ------------------------------------------------------------------------------------------

  async positions(accountId: string): Promise<Position[]> {
    const r = await this.pool.query<PositionRow>(
      'SELECT * FROM paper_positions WHERE account_id = $1 ORDER BY exchange_segment, symbol, product',
      [accountId],
    );
    const out: Position[] = [];
    for (const row of r.rows) {
      const last = await this.prices.get(row.exchange_segment, row.symbol);
      out.push(toPosition(row, last ? str(last.price) : null));
    }
    return out;
  }

  async accountTotals(
    accountId: string,
  ): Promise<{ initialCapital: Dec; realized: Dec; charges: Dec; used: Dec } | null> {
    const r = await this.pool.query<{ initial_capital: string; realized: string; charges: string; used: string }>(
      `SELECT a.initial_capital,
              COALESCE(SUM(p.realized_pnl), 0) AS realized, COALESCE(SUM(p.charges), 0) AS charges,
              COALESCE(SUM(ABS(p.net_quantity) * p.average_price), 0) AS used
         FROM paper_accounts a LEFT JOIN paper_positions p ON p.account_id = a.account_id
        WHERE a.account_id = $1 GROUP BY a.initial_capital`,
      [accountId],
    );
    if (r.rowCount === 0) return null;
    const x = r.rows[0];
    return {
      initialCapital: new D(x.initial_capital),
      realized: new D(x.realized),
      charges: new D(x.charges),
      used: new D(x.used),
    };
  }
}

function rowToResting(r: OrderRow) {
  return {
    side: r.side,
    type: r.type,
    price: r.price === null ? null : new D(r.price),
    triggerPrice: r.trigger_price === null ? null : new D(r.trigger_price),
    triggered: r.triggered,
  };
}

async function lockAccount(c: PoolClient, accountId: string): Promise<void> {
  // NO KEY UPDATE: serializes the account's order changes without blocking the foreign-key checks of inserts
  // (an order filled on entry locks only its position row, then inserts its order)
  const r = await c.query('SELECT 1 FROM paper_accounts WHERE account_id = $1 FOR NO KEY UPDATE', [accountId]);
  if (r.rowCount === 0) throw new RejectedError(`paper: unknown account ${accountId}`, { broker: BROKER });
}
