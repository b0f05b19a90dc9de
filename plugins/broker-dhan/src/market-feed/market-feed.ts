// Dhan's live market feed: one WebSocket per client for all quote subscriptions (Dhan caps connections per
// account), resubscribed after every reconnect, closed when the last subscriber leaves
import Decimal from 'decimal.js';
import WebSocket from 'ws';
import { AuthError, PermissionError, RateLimitError, TokenExpiredError } from '@algodatta/broker-sdk';
import type { BrokerError, InstrumentRef, Tick, TickHandler } from '@algodatta/broker-sdk';
import { BROKER_NAME } from '../error-map';
import { FEED_REQUEST, FEED_SEGMENT_BY_CODE, decodeFeedMessage, subscriptionMessages } from './feed-packets';

export type MarketFeedOptions = {
  url: string;
  clientId: string;
  accessToken: () => string;
  now: () => number;
  backoff: { initialMs: number; maxMs: number };
};

type Sub = { instrument: InstrumentRef & { securityId: string }; onTick: TickHandler; onError?: (e: Error) => void };

const DISCONNECT_REASONS: Record<number, () => BrokerError> = {
  805: () =>
    new RateLimitError('dhan market feed: too many feed connections for this account', {
      broker: BROKER_NAME,
      brokerCode: '805',
      retryAfterMs: 5000,
    }),
  806: () =>
    new PermissionError('dhan market feed: the account has no Data API subscription', {
      broker: BROKER_NAME,
      brokerCode: '806',
    }),
  807: () =>
    new TokenExpiredError('dhan market feed: the access token expired', { broker: BROKER_NAME, brokerCode: '807' }),
  808: () => new AuthError('dhan market feed: invalid client id', { broker: BROKER_NAME, brokerCode: '808' }),
  809: () => new AuthError('dhan market feed: authentication failed', { broker: BROKER_NAME, brokerCode: '809' }),
};

const keyOf = (segment: string, securityId: string) => `${segment}:${securityId}`;
// Prices arrive as float32: 2 decimals (4 for currency pairs) give back the exchange's price
const decimalsOf = (segment: string) => (segment.endsWith('CURRENCY') ? 4 : 2);

export class DhanMarketFeed {
  private readonly subs = new Map<string, Set<Sub>>();
  private ws?: WebSocket;
  private retryTimer?: NodeJS.Timeout;
  private attempt = 0;
  private closed = false;

  constructor(private readonly opts: MarketFeedOptions) {}

  subscribe(
    instruments: (InstrumentRef & { securityId: string })[],
    onTick: TickHandler,
    onError?: (e: Error) => void,
  ): () => void {
    const mine: [string, Sub][] = [];
    const fresh: { segment: string; securityId: string }[] = [];
    for (const instrument of instruments) {
      const key = keyOf(instrument.exchangeSegment, instrument.securityId);
      const sub: Sub = { instrument, onTick, onError };
      let set = this.subs.get(key);
      if (!set) {
        set = new Set();
        this.subs.set(key, set);
        fresh.push({ segment: instrument.exchangeSegment, securityId: instrument.securityId });
      }
      set.add(sub);
      mine.push([key, sub]);
    }
    if (this.ws?.readyState === WebSocket.OPEN) this.send(subscriptionMessages(FEED_REQUEST.ticker, fresh));
    else this.ensureConnected();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const gone: { segment: string; securityId: string }[] = [];
      for (const [key, sub] of mine) {
        const set = this.subs.get(key);
        if (!set) continue;
        set.delete(sub);
        if (set.size === 0) {
          this.subs.delete(key);
          gone.push({ segment: sub.instrument.exchangeSegment, securityId: sub.instrument.securityId });
        }
      }
      if (this.subs.size === 0) this.disconnect();
      else if (gone.length && this.ws?.readyState === WebSocket.OPEN)
        this.send(subscriptionMessages(FEED_REQUEST.ticker + 1, gone));
    };
  }

  /** subscribe() after resolving each ref's securityId (e.g. from the instrument master); failures go to onError. */
  subscribeResolving(
    instruments: InstrumentRef[],
    securityIdOf: (i: InstrumentRef) => Promise<string>,
    onTick: TickHandler,
    onError?: (e: Error) => void,
  ): () => void {
    let stop: (() => void) | undefined;
    let stopped = false;
    Promise.all(instruments.map(async (i) => ({ ...i, securityId: i.securityId ?? (await securityIdOf(i)) }))).then(
      (resolved) => {
        if (!stopped) stop = this.subscribe(resolved, onTick, onError);
      },
      (e: unknown) => onError?.(e instanceof Error ? e : new Error(String(e))),
    );
    return () => {
      stopped = true;
      stop?.();
    };
  }

  close(): void {
    this.closed = true;
    this.subs.clear();
    this.disconnect();
  }

  private send(messages: string[]): void {
    for (const m of messages) this.ws?.send(m);
  }

  private errorToAll(e: Error): void {
    const seen = new Set<(e: Error) => void>();
    for (const set of this.subs.values())
      for (const s of set)
        if (s.onError && !seen.has(s.onError)) {
          seen.add(s.onError);
          s.onError(e);
        }
  }

  private ensureConnected(): void {
    if (this.closed || this.ws || this.retryTimer) return;
    const url = new URL(this.opts.url);
    url.searchParams.set('version', '2');
    url.searchParams.set('token', this.opts.accessToken());
    url.searchParams.set('clientId', this.opts.clientId);
    url.searchParams.set('authType', '2');
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.on('open', () => {
      this.attempt = 0;
      const all = [...this.subs.values()]
        .map((set) => [...set][0].instrument)
        .map((i) => ({ segment: i.exchangeSegment, securityId: i.securityId }));
      this.send(subscriptionMessages(FEED_REQUEST.ticker, all));
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return;
      for (const p of decodeFeedMessage(Buffer.isBuffer(data) ? data : Buffer.from(data))) {
        if (p.kind === 'disconnect') {
          const e =
            DISCONNECT_REASONS[p.reason]?.() ??
            new AuthError(`dhan market feed: disconnected (${p.reason})`, {
              broker: BROKER_NAME,
              brokerCode: String(p.reason),
            });
          this.errorToAll(e);
          continue;
        }
        if (p.kind !== 'ticker' && p.kind !== 'quote') continue;
        const segment = FEED_SEGMENT_BY_CODE[p.segment];
        const set = segment ? this.subs.get(keyOf(segment, p.securityId)) : undefined;
        if (!set || !(p.ltp > 0)) continue;
        const lastPrice = new Decimal(p.ltp).toDecimalPlaces(decimalsOf(segment)).toFixed();
        for (const s of [...set]) {
          const tick: Tick = { broker: BROKER_NAME, instrument: s.instrument, lastPrice, ts: this.opts.now() };
          if (p.ltt > 0) tick.exchangeTime = p.ltt * 1000;
          if (p.kind === 'quote') {
            tick.lastQuantity = String(p.ltq);
            tick.volume = String(p.volume);
          }
          try {
            s.onTick(tick);
          } catch (e) {
            s.onError?.(e instanceof Error ? e : new Error(String(e)));
          }
        }
      }
    });
    ws.on('error', (e) => this.errorToAll(e));
    ws.on('close', () => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      if (this.closed || this.subs.size === 0) return;
      const { initialMs, maxMs } = this.opts.backoff;
      const base = Math.min(maxMs, initialMs * 2 ** this.attempt++);
      this.retryTimer = setTimeout(
        () => {
          this.retryTimer = undefined;
          this.ensureConnected();
        },
        base / 2 + Math.random() * (base / 2),
      );
    });
  }

  private disconnect(): void {
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    const ws = this.ws;
    this.ws = undefined;
    if (!ws) return;
    ws.removeAllListeners();
    ws.on('error', () => undefined);
    if (ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify({ RequestCode: FEED_REQUEST.disconnect }));
      ws.close();
    } else ws.terminate();
  }
}
