// Dhan's order-update WebSocket: login, read order_alert messages, reconnect with exponential backoff
import WebSocket from 'ws';

export type OrderFeedOptions = {
  url: string;
  clientId: string;
  /** The token to log in with; a function so reconnects after a renewal use the new one. */
  accessToken: string | (() => string);
  onMessage: (data: unknown) => void;
  onError?: (e: Error) => void;
  /** Called after every successful (re)connect, with 0 for the first one. */
  onConnected?: (reconnects: number) => void;
  backoff?: { initialMs: number; maxMs: number };
  /** Protocol ping interval; a connection that misses one pong is dropped and re-opened. */
  pingIntervalMs?: number;
};

export class DhanOrderFeed {
  private ws?: WebSocket;
  private stopped = false;
  private attempt = 0;
  private connects = 0;
  private retryTimer?: NodeJS.Timeout;
  private pingTimer?: NodeJS.Timeout;

  constructor(private readonly opts: OrderFeedOptions) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.ws?.removeAllListeners();
    this.ws?.on('error', () => undefined);
    this.ws?.terminate();
    this.ws = undefined;
  }

  private connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(this.opts.url);
    this.ws = ws;
    let alive = true;
    ws.on('pong', () => {
      alive = true;
    });
    ws.on('open', () => {
      ws.send(
        JSON.stringify({
          LoginReq: {
            MsgCode: 42,
            ClientId: this.opts.clientId,
            Token: typeof this.opts.accessToken === 'function' ? this.opts.accessToken() : this.opts.accessToken,
          },
          UserType: 'SELF',
        }),
      );
      this.attempt = 0;
      // A half-open TCP connection never closes by itself: ping, and drop it when a pong is missed
      if (this.pingTimer) clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => {
        if (!alive) {
          ws.terminate();
          return;
        }
        alive = false;
        ws.ping();
      }, this.opts.pingIntervalMs ?? 15_000);
      this.opts.onConnected?.(this.connects++);
    });
    ws.on('message', (data) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(data.toString());
      } catch {
        this.opts.onError?.(new Error('dhan order feed: unparseable message'));
        return;
      }
      this.opts.onMessage(parsed);
    });
    ws.on('error', (e) => this.opts.onError?.(e));
    ws.on('close', (code, reason) => {
      if (this.stopped || this.ws !== ws) return;
      if (this.pingTimer) clearInterval(this.pingTimer);
      this.opts.onError?.(new Error(`dhan order feed closed (${code} ${reason.toString()}), reconnecting`));
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    const { initialMs, maxMs } = this.opts.backoff ?? { initialMs: 500, maxMs: 30_000 };
    const base = Math.min(maxMs, initialMs * 2 ** this.attempt++);
    // Jitter spreads reconnects of many accounts after a Dhan-side outage
    const delay = base / 2 + Math.random() * (base / 2);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }
}
