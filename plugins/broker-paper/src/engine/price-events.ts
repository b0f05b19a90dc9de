// In-process fan-out of price changes per (segment, symbol): the paper broker's market-data stream (has.marketData)

import { EventEmitter } from 'node:events';
import type { ExchangeSegment } from '@algodatta/broker-sdk';

export type PriceChange = { segment: ExchangeSegment; symbol: string; price: string; ts: number };

export class PriceEvents {
  private readonly emitter = new EventEmitter();

  constructor(private readonly onHandlerError: (error: unknown) => void) {
    this.emitter.setMaxListeners(0);
  }

  publish(change: PriceChange): void {
    this.emitter.emit(`${change.segment}:${change.symbol}`, change);
  }

  subscribe(segment: ExchangeSegment, symbol: string, handler: (change: PriceChange) => void): () => void {
    const safe = (c: PriceChange) => {
      try {
        handler(c);
      } catch (e) {
        // A subscriber's bug must not break price processing
        this.onHandlerError(e);
      }
    };
    const key = `${segment}:${symbol}`;
    this.emitter.on(key, safe);
    return () => this.emitter.off(key, safe);
  }
}
