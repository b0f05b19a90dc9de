// Last traded price per (segment, symbol): in memory, persisted in paper_prices so it survives a restart

import type { ExchangeSegment } from '@algodatta/broker-sdk';
import type { Pool } from 'pg';
import type { Dec } from '../decimal';
import { D, str } from '../decimal';

type Tick = { price: Dec; ts: number };

export class PriceBook {
  private readonly cache = new Map<string, Tick>();

  constructor(private readonly pool: Pool) {}

  private key(segment: ExchangeSegment, symbol: string): string {
    return `${segment}:${symbol}`;
  }

  async get(segment: ExchangeSegment, symbol: string): Promise<Tick | null> {
    const k = this.key(segment, symbol);
    const hit = this.cache.get(k);
    if (hit) return hit;
    const r = await this.pool.query<{ price: string; ts: string }>(
      'SELECT price, ts FROM paper_prices WHERE exchange_segment = $1 AND symbol = $2',
      [segment, symbol],
    );
    if (r.rowCount === 0) return null;
    const tick = { price: new D(r.rows[0].price), ts: Number(r.rows[0].ts) };
    this.cache.set(k, tick);
    return tick;
  }

  /**
   * Records a price unless a newer one is already known (alerts can arrive out of order). Returns whether the price
   * moved: a repeat of the price this process last saw changes nothing (resting orders were already decided
   * against it), so it is neither written nor scanned; only its time is kept, in memory.
   */
  async set(segment: ExchangeSegment, symbol: string, price: Dec, ts: number): Promise<boolean> {
    const k = this.key(segment, symbol);
    const current = this.cache.get(k);
    if (current && current.ts > ts) return false;
    if (current && current.price.eq(price)) {
      current.ts = ts;
      return false;
    }
    this.cache.set(k, { price, ts });
    const r = await this.pool.query(
      `INSERT INTO paper_prices (exchange_segment, symbol, price, ts) VALUES ($1, $2, $3, $4)
       ON CONFLICT (exchange_segment, symbol) DO UPDATE SET price = EXCLUDED.price, ts = EXCLUDED.ts
       WHERE paper_prices.ts <= EXCLUDED.ts`,
      [segment, symbol, str(price), ts],
    );
    return (r.rowCount ?? 0) > 0;
  }

  /** Segments in which a bare symbol has a known price. */
  async segmentsOf(symbol: string): Promise<ExchangeSegment[]> {
    const r = await this.pool.query<{ exchange_segment: ExchangeSegment }>(
      'SELECT exchange_segment FROM paper_prices WHERE symbol = $1',
      [symbol],
    );
    return r.rows.map((x) => x.exchange_segment);
  }
}
