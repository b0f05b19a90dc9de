// The live market feed in the simulator: v2 login by query (token, clientId, authType=2), JSON subscriptions,
// binary ticker/quote packets from the simulator's price book (a snapshot on subscribe, then every price change)
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import {
  FEED_REQUEST,
  FEED_SEGMENT_CODE,
  encodeDisconnect,
  encodeQuote,
  encodeTicker,
} from '../market-feed/feed-packets';
import type { SimBook } from './sim-book';

type Conn = { ws: WebSocket; subs: Map<string, { segment: number; mode: number }> };

export class SimMarketFeed {
  private readonly conns = new Set<Conn>();
  /** Every subscribe/unsubscribe message received, for tests. */
  readonly requests: unknown[] = [];

  constructor(
    private readonly book: SimBook,
    private readonly o: { clientId: string; tokenValid: (t: unknown) => boolean; now: () => number },
  ) {
    book.onPrice((securityId, price) => {
      for (const c of this.conns) {
        for (const [id, s] of c.subs) if (id === securityId) this.send(c, s.segment, s.mode, securityId, price);
      }
    });
  }

  get connections(): number {
    return this.conns.size;
  }

  accept(ws: WebSocket, req: IncomingMessage): void {
    const q = new URL(req.url ?? '/', 'http://sim').searchParams;
    const refuse = (reason: number) => {
      ws.send(encodeDisconnect(reason));
      ws.close(1008, String(reason));
    };
    if (q.get('clientId') !== this.o.clientId) return refuse(808);
    if (q.get('authType') !== '2' || !q.get('token')) return refuse(809);
    if (!this.o.tokenValid(q.get('token'))) return refuse(807);
    const c: Conn = { ws, subs: new Map() };
    this.conns.add(c);
    ws.on('close', () => this.conns.delete(c));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let msg: { RequestCode?: number; InstrumentList?: { ExchangeSegment?: string; SecurityId?: string }[] };
      try {
        msg = JSON.parse(String(data));
      } catch {
        return ws.close(1008, 'bad message');
      }
      this.requests.push(msg);
      const code = msg.RequestCode;
      if (code === FEED_REQUEST.disconnect) return ws.close(1000);
      const list = Array.isArray(msg.InstrumentList) ? msg.InstrumentList.slice(0, 100) : [];
      for (const i of list) {
        const segment = FEED_SEGMENT_CODE[i.ExchangeSegment as keyof typeof FEED_SEGMENT_CODE];
        const id = String(i.SecurityId ?? '');
        if (segment === undefined || !/^\d+$/.test(id)) continue;
        if (code === FEED_REQUEST.ticker || code === FEED_REQUEST.quote || code === FEED_REQUEST.full) {
          c.subs.set(id, { segment, mode: code });
          this.send(c, segment, code, id, this.book.priceOf(id));
        } else if (
          code === FEED_REQUEST.ticker + 1 ||
          code === FEED_REQUEST.quote + 1 ||
          code === FEED_REQUEST.full + 1
        ) {
          c.subs.delete(id);
        }
      }
    });
  }

  /** Every connection gets an "access token expired" disconnect (as at the token's 24th hour). */
  expireAll(): void {
    for (const c of this.conns) {
      c.ws.send(encodeDisconnect(807));
      c.ws.close(1008, '807');
    }
  }

  close(): void {
    for (const c of this.conns) c.ws.terminate();
    this.conns.clear();
  }

  private send(c: Conn, segment: number, mode: number, securityId: string, price: string): void {
    if (c.ws.readyState !== WebSocket.OPEN) return;
    const ltt = Math.floor(this.o.now() / 1000);
    const ltp = Number(price);
    c.ws.send(
      mode === FEED_REQUEST.ticker
        ? encodeTicker(segment, securityId, ltp, ltt)
        : encodeQuote(segment, securityId, { ltp, ltq: 1, ltt, volume: 0 }),
    );
  }
}
