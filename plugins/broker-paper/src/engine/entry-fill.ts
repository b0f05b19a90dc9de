// Orders that fill the moment they are placed (MARKET orders, marketable limits): the common case, kept short
// (and its statements are named, so PostgreSQL plans them once per connection).
// The position row is what serializes them (every writer of a position locks its row and bumps its revision).
// Knowing a position's revision, one statement locks the row, checks nothing moved, and writes order, fill and
// position together; otherwise (first order on a position in this process, or another writer got there) a
// transaction locks and reads the row, then writes. Such an order was never observable as open, so its updates
// are the fill and the filled order.

import type { Order, OrderUpdate } from '@algodatta/broker-sdk';
import { RejectedError } from '@algodatta/broker-sdk';
import type { Pool, PoolClient } from 'pg';
import { computeCharges } from '../charges.calc';
import type { ChargeBreakdown } from '../charges.calc';
import type { Dec } from '../decimal';
import { D, str, ZERO } from '../decimal';
import type { FillRow, OrderRow } from '../db/rows';
import { BROKER, toFill, toOrder } from '../db/rows';
import { applyFill } from '../position.calc';
import type { PositionState } from '../position.calc';
import type { NewOrder } from './paper-engine';
import { duplicateOrder, ORDER_COLUMNS } from './order-sql';
import { inTransaction } from './tx';

type KnownPosition = { netQuantity: string; averagePrice: string; realizedPnl: string; revision: number };
type WrittenRow = OrderRow & { position_revision: string };
type Written = { row: WrittenRow; after: PositionState };
// One order filled on entry: what it is, at what price, and its charges (computed once)
type Entry = {
  o: NewOrder;
  brokerOrderId: string;
  price: Dec;
  triggered: boolean;
  now: number;
  charges: ChargeBreakdown;
};

const MAX_KNOWN = 20_000;
const UNIQUE_VIOLATION = '23505';

// $1-$21: the order; $22-$24: the fill (trade id, charges, total); $25-$29: the position after it
const ORDER_VALUES = `$1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::numeric, $8::numeric, $9::boolean, $10::numeric,
  $11::text, $12::text, $13::text, $14::text, $15::numeric, $16::numeric, $17::numeric, $18::boolean, 'filled', $15::numeric, $19::numeric,
  NULL, $20::text, $21::bigint, $21::bigint`;
const FILL_FROM_ORDER = `INSERT INTO paper_fills (trade_id, account_id, client_order_id, broker_order_id, symbol, exchange_segment, security_id,
    side, product, quantity, price, charges, charges_total, ts)
  SELECT $22, o.account_id, o.client_order_id, o.broker_order_id, o.symbol, o.exchange_segment, o.security_id,
    o.side, o.product, o.quantity, $19, $23, $24, $21 FROM o`;

// Which parameter ($n) of a statement carries each value the position's update needs
type PositionParams = {
  account: number;
  segment: number;
  symbol: number;
  product: number;
  securityId: number;
  now: number;
  netQuantity: number;
  averagePrice: number;
  realizedPnl: number;
  charges: number;
  bought: number;
  sold: number;
};

// The position row written where its orders leave it (one statement's fragment, so the single-order and the many-order
// statements cannot drift apart), on the condition given
function updatePosition(p: PositionParams, condition: string): string {
  return `UPDATE paper_positions SET net_quantity = $${p.netQuantity}, average_price = $${p.averagePrice}, realized_pnl = $${p.realizedPnl}, charges = charges + $${p.charges},
    buy_quantity = buy_quantity + $${p.bought}, sell_quantity = sell_quantity + $${p.sold}, updated_at = $${p.now},
    security_id = COALESCE($${p.securityId}, security_id), revision = revision + 1
  WHERE account_id = $${p.account} AND exchange_segment = $${p.segment} AND symbol = $${p.symbol} AND product = $${p.product} AND ${condition}
  RETURNING revision`;
}

// params() below: the order's own columns and the position after it
const ONE_ORDER: PositionParams = {
  account: 1,
  symbol: 4,
  segment: 5,
  securityId: 6,
  product: 13,
  now: 21,
  charges: 24,
  netQuantity: 25,
  averagePrice: 26,
  realizedPnl: 27,
  bought: 28,
  sold: 29,
};
// tryFastMany's values: the position's key and where the orders leave it
const MANY_ORDERS: PositionParams = {
  account: 1,
  segment: 2,
  symbol: 3,
  netQuantity: 4,
  averagePrice: 5,
  realizedPnl: 6,
  charges: 7,
  bought: 8,
  sold: 9,
  now: 10,
  securityId: 11,
  product: 12,
};

// The position must still be at revision $30: the UPDATE re-reads the row once it holds the lock
const FAST_SQL = `
WITH p AS (
  ${updatePosition(ONE_ORDER, 'revision = $30')}
), o AS (
  INSERT INTO paper_orders (${ORDER_COLUMNS}) SELECT ${ORDER_VALUES} FROM p RETURNING *
), f AS (${FILL_FROM_ORDER})
SELECT o.*, (SELECT revision FROM p) AS position_revision FROM o`;

// Locks (creating at zero if needed) the position row; an upsert reads the latest committed row, never a snapshot
// taken before the lock was granted. No row: the account is unknown.
const LOCK_SQL = `
INSERT INTO paper_positions (account_id, symbol, exchange_segment, product, security_id, net_quantity, average_price,
  realized_pnl, charges, buy_quantity, sell_quantity, updated_at)
SELECT account_id, $2, $3, $4, $5, 0, 0, 0, 0, 0, 0, $6 FROM paper_accounts WHERE account_id = $1
ON CONFLICT (account_id, exchange_segment, symbol, product) DO UPDATE SET updated_at = paper_positions.updated_at
RETURNING net_quantity, average_price, realized_pnl`;

const LOCKED_WRITE_SQL = `
WITH o AS (
  INSERT INTO paper_orders (${ORDER_COLUMNS}) VALUES (${ORDER_VALUES})
  ON CONFLICT (account_id, client_order_id) DO NOTHING RETURNING *
), f AS (${FILL_FROM_ORDER}), p AS (
  ${updatePosition(ONE_ORDER, 'EXISTS (SELECT 1 FROM o)')}
)
SELECT o.*, (SELECT revision FROM p) AS position_revision FROM o`;

// Several orders of one position at once (placeOrders), while the position is at revision $13: the position is
// written once (where the last of them leaves it), then every order and its fill. $14: the orders, in order.
const FAST_MANY_SQL = `
WITH p AS (
  ${updatePosition(MANY_ORDERS, 'revision = $13')}
), x AS (
  SELECT * FROM jsonb_to_recordset($14::jsonb) AS x(ord int, client_order_id text, broker_order_id text, security_id text,
    lot_size numeric, tick_size numeric, is_option boolean, slippage_bps numeric, side text, type text, time_in_force text,
    quantity numeric, price numeric, trigger_price numeric, triggered boolean, fill_price numeric, tag text, trade_id text,
    charges jsonb, charges_total numeric)
), o AS (
  INSERT INTO paper_orders (${ORDER_COLUMNS})
  SELECT $1, x.client_order_id, x.broker_order_id, $3, $2, x.security_id, x.lot_size, x.tick_size, x.is_option, x.slippage_bps,
    x.side, x.type, $12, x.time_in_force, x.quantity, x.price, x.trigger_price, x.triggered, 'filled', x.quantity, x.fill_price,
    NULL, x.tag, $10::bigint, $10::bigint
  FROM x WHERE EXISTS (SELECT 1 FROM p) ORDER BY x.ord RETURNING *
), f AS (
  INSERT INTO paper_fills (trade_id, account_id, client_order_id, broker_order_id, symbol, exchange_segment, security_id,
    side, product, quantity, price, charges, charges_total, ts)
  SELECT x.trade_id, o.account_id, o.client_order_id, o.broker_order_id, o.symbol, o.exchange_segment, o.security_id,
    o.side, o.product, o.quantity, x.fill_price, x.charges, x.charges_total, $10::bigint
  FROM o JOIN x ON x.client_order_id = o.client_order_id
)
SELECT o.*, (SELECT revision FROM p) AS position_revision FROM o`;

export type ManyEntry = { o: NewOrder; brokerOrderId: string; price: Dec; triggered: boolean; now: number };

export class EntryFills {
  private readonly known = new Map<string, KnownPosition>();
  // Placements on one position queue in this process, so each starts from the revision the previous one wrote
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(private readonly pool: Pool) {}

  place(
    o: NewOrder,
    brokerOrderId: string,
    price: Dec,
    triggered: boolean,
    now: number,
    updates: OrderUpdate[],
  ): Promise<Order> {
    const key = `${o.accountId}|${o.exchangeSegment}|${o.symbol}|${o.product}`;
    const charges = chargesOf(o, price);
    const entry: Entry = { o, brokerOrderId, price, triggered, now, charges };
    const next = (this.tails.get(key) ?? Promise.resolve()).then(() => this.placeNow(key, entry, updates));
    const settled = next.catch(() => undefined);
    this.tails.set(key, settled);
    void settled.then(() => {
      if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return next;
  }

  // Orders of one position (same account, segment, symbol and product) that fill on entry, in order: one statement
  // for them all when this process knows the position's revision, else the first as place() does and then the rest
  placeMany(many: ManyEntry[], updates: OrderUpdate[]): Promise<Order[]> {
    const o = many[0].o;
    const key = `${o.accountId}|${o.exchangeSegment}|${o.symbol}|${o.product}`;
    const entries = many.map((m): Entry => ({ ...m, charges: chargesOf(m.o, m.price) }));
    const next = (this.tails.get(key) ?? Promise.resolve()).then(() => this.placeManyNow(key, entries, updates));
    const settled = next.catch(() => undefined);
    this.tails.set(key, settled);
    void settled.then(() => {
      if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return next;
  }

  private async placeManyNow(key: string, entries: Entry[], updates: OrderUpdate[]): Promise<Order[]> {
    const placed: Order[] = [];
    let rest = entries;
    if (!this.known.has(key) || rest.length === 1) {
      placed.push(await this.placeNow(key, rest[0], updates));
      rest = rest.slice(1);
    }
    const known = this.known.get(key);
    const written = rest.length > 0 && known ? await this.tryFastMany(rest, known) : null;
    if (!written) {
      // The position moved on (another writer), or a clientOrderId is taken: one at a time (that path says which)
      for (const entry of rest) placed.push(await this.placeNow(key, entry, updates));
      return placed;
    }
    const { rows, after } = written;
    const byId = new Map(rows.map((row) => [row.client_order_id, row]));
    for (const entry of rest) {
      const row = byId.get(entry.o.clientOrderId)!;
      placed.push(this.report(entry, row, updates));
    }
    this.remember(key, {
      netQuantity: str(after.netQuantity),
      averagePrice: str(after.averagePrice),
      realizedPnl: str(after.realizedPnl),
      revision: Number(rows[0].position_revision),
    });
    return placed;
  }

  // null: the position moved on since this process wrote it, or a clientOrderId is taken
  private async tryFastMany(
    entries: Entry[],
    known: KnownPosition,
  ): Promise<{ rows: WrittenRow[]; after: PositionState } | null> {
    let after = positionOf(known);
    let charges = ZERO;
    let bought = ZERO;
    let sold = ZERO;
    for (const { o, price, charges: c } of entries) {
      after = applyFill(after, o.side, o.quantity, price);
      charges = charges.plus(c.total);
      if (o.side === 'BUY') bought = bought.plus(o.quantity);
      else sold = sold.plus(o.quantity);
    }
    const { o, now } = entries[entries.length - 1];
    const orders = entries.map((e, ord) => ({
      ord,
      client_order_id: e.o.clientOrderId,
      broker_order_id: e.brokerOrderId,
      security_id: e.o.securityId ?? null,
      lot_size: str(e.o.lotSize),
      tick_size: str(e.o.tickSize),
      is_option: e.o.isOption,
      slippage_bps: str(e.o.slippageBps),
      side: e.o.side,
      type: e.o.type,
      time_in_force: e.o.timeInForce,
      quantity: str(e.o.quantity),
      price: e.o.price ? str(e.o.price) : null,
      trigger_price: e.o.triggerPrice ? str(e.o.triggerPrice) : null,
      triggered: e.triggered,
      fill_price: str(e.price),
      tag: e.o.tag ?? null,
      trade_id: tradeIdOf(e.brokerOrderId),
      charges: e.charges,
      charges_total: e.charges.total,
    }));
    try {
      const r = await this.pool.query<WrittenRow>({
        name: 'paper_entry_fill_many',
        text: FAST_MANY_SQL,
        values: [
          o.accountId,
          o.exchangeSegment,
          o.symbol,
          str(after.netQuantity),
          str(after.averagePrice),
          str(after.realizedPnl),
          str(charges),
          str(bought),
          str(sold),
          now,
          o.securityId ?? null,
          o.product,
          known.revision,
          JSON.stringify(orders),
        ],
      });
      return r.rows.length === entries.length ? { rows: r.rows, after } : null;
    } catch (e) {
      if ((e as { code?: string }).code === UNIQUE_VIOLATION) return null;
      throw e;
    }
  }

  private async placeNow(key: string, entry: Entry, updates: OrderUpdate[]): Promise<Order> {
    const known = this.known.get(key);
    const { row, after } =
      (known && (await this.tryFast(entry, known))) ||
      (await inTransaction(this.pool, (c) => this.placeLocked(c, entry)));
    this.remember(key, {
      netQuantity: str(after.netQuantity),
      averagePrice: str(after.averagePrice),
      realizedPnl: str(after.realizedPnl),
      revision: Number(row.position_revision),
    });
    return this.report(entry, row, updates);
  }

  // The fill and the filled order, as the subscribers hear them
  private report(entry: Entry, row: WrittenRow, updates: OrderUpdate[]): Order {
    const { position_revision: _revision, ...orderRow } = row;
    const fill: FillRow = {
      trade_id: tradeIdOf(entry.brokerOrderId),
      account_id: orderRow.account_id,
      client_order_id: orderRow.client_order_id,
      broker_order_id: orderRow.broker_order_id,
      symbol: orderRow.symbol,
      exchange_segment: orderRow.exchange_segment,
      security_id: orderRow.security_id,
      side: orderRow.side,
      product: orderRow.product,
      quantity: orderRow.quantity,
      price: str(entry.price),
      charges: entry.charges,
      charges_total: entry.charges.total,
      ts: String(entry.now),
    };
    updates.push({ kind: 'fill', tracked: true, fill: toFill(fill), ts: entry.now });
    updates.push({ kind: 'order', tracked: true, order: toOrder(orderRow), ts: entry.now });
    return toOrder(orderRow);
  }

  // null: the position moved on since this process wrote it, or the clientOrderId is taken (the locked path says which)
  private async tryFast(entry: Entry, known: KnownPosition): Promise<Written | null> {
    const after = applyFill(positionOf(known), entry.o.side, entry.o.quantity, entry.price);
    try {
      const r = await this.pool.query<WrittenRow>({
        name: 'paper_entry_fill_fast',
        text: FAST_SQL,
        values: [...params(entry, after), known.revision],
      });
      return r.rows[0] ? { row: r.rows[0], after } : null;
    } catch (e) {
      if ((e as { code?: string }).code === UNIQUE_VIOLATION) return null;
      throw e;
    }
  }

  private async placeLocked(c: PoolClient, entry: Entry): Promise<Written> {
    const { o } = entry;
    const locked = await c.query<{ net_quantity: string; average_price: string; realized_pnl: string }>({
      name: 'paper_entry_fill_lock',
      text: LOCK_SQL,
      values: [o.accountId, o.symbol, o.exchangeSegment, o.product, o.securityId ?? null, entry.now],
    });
    if (locked.rowCount === 0) throw new RejectedError(`paper: unknown account ${o.accountId}`, { broker: BROKER });
    const p = locked.rows[0];
    const after = applyFill(
      { netQuantity: new D(p.net_quantity), averagePrice: new D(p.average_price), realizedPnl: new D(p.realized_pnl) },
      o.side,
      o.quantity,
      entry.price,
    );
    const written = await c.query<WrittenRow>({
      name: 'paper_entry_fill_write',
      text: LOCKED_WRITE_SQL,
      values: params(entry, after),
    });
    if (written.rowCount === 0) throw duplicateOrder(o);
    return { row: written.rows[0], after };
  }

  private remember(key: string, position: KnownPosition): void {
    this.known.delete(key);
    if (this.known.size >= MAX_KNOWN) this.known.delete(this.known.keys().next().value as string);
    this.known.set(key, position);
  }
}

const chargesOf = (o: NewOrder, price: Dec): ChargeBreakdown =>
  computeCharges({
    segment: o.exchangeSegment,
    product: o.product,
    side: o.side,
    quantity: o.quantity,
    price,
    option: o.isOption,
  });

// One fill per order, so the trade id is deterministic: a retried fill hits the primary key instead of doubling
const tradeIdOf = (brokerOrderId: string) => `${brokerOrderId}-T1`;

const positionOf = (k: KnownPosition) => ({
  netQuantity: new D(k.netQuantity),
  averagePrice: new D(k.averagePrice),
  realizedPnl: new D(k.realizedPnl),
});

function params({ o, brokerOrderId, price, triggered, now, charges }: Entry, after: PositionState): unknown[] {
  return [
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
    triggered,
    str(price),
    o.tag ?? null,
    now,
    tradeIdOf(brokerOrderId),
    JSON.stringify(charges),
    charges.total,
    str(after.netQuantity),
    str(after.averagePrice),
    str(after.realizedPnl),
    str(o.side === 'BUY' ? o.quantity : ZERO),
    str(o.side === 'SELL' ? o.quantity : ZERO),
  ];
}
