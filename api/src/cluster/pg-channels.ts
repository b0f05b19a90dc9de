import { randomUUID } from 'node:crypto';
import { AsyncResource } from 'node:async_hooks';
import { Client } from 'pg';
import { logger } from '../shared/logger';
import { throttledWarning } from './throttled-warning';

const STALLED_MS = 10_000;
// Every process pings on this channel: its own pings prove its connection, the others' say who else is there
export const PRESENCE_CHANNEL = 'algodatta_presence';
const PEER_GONE_MS = 2000;

export type PgChannelOptions = { pingMs?: number; healthyWithinMs?: number; reconnectMaxMs?: number };

// This process's own LISTEN/NOTIFY connection to PostgreSQL: it listens on the channels asked for, sends
// notifications in order (one multi-statement query per send: one transaction, delivered together), and
// reconnects by itself when the connection is lost.
//
// healthy() says whether a change committed more than `healthyWithinMs` ago has surely been heard: the
// connection pings every `pingMs` (a NOTIFY on PRESENCE_CHANNEL, which it listens to as well), and PostgreSQL
// delivers a session's notifications in commit order, so its own ping coming back proves every notification
// committed before it came back too. Caches may keep values longer than their short TTL only while this holds.
// The other processes' pings tell hasPeers(): a process alone on its database sends no events to nobody.
export class PgChannels {
  readonly id = randomUUID().replace(/-/g, '').slice(0, 16);
  private readonly peers = new Map<string, number>();
  private readonly joined: Array<() => void> = [];
  private readonly notSent = throttledWarning('cluster: a notification was not sent');
  private readonly handlers = new Map<string, Array<(payload: string) => void>>();
  private readonly reconnected: Array<() => void> = [];
  private client?: Client;
  private connected = false;
  private closed = false;
  private lastPingSentAt = 0;
  private connectedAt = 0;
  private pingTimer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  // Notifications are sent one after another. A ping goes straight to the connection, at most one at a time: so at
  // most two statements are ever in flight on it (pg queues a query sent while another runs, deprecated), and pings
  // sent every pingMs while the connection is slow do not pile up there; behind the notifications' backlog instead
  // (a burst's events), a ping would come back late and the connection be taken for stalled
  private sending: Promise<void> = Promise.resolve();
  // The connection a ping is out on (a ping on a connection replaced since does not hold the new one's back)
  private pingOut?: Client;
  private readonly pingMs: number;
  private readonly healthyWithinMs: number;
  private readonly reconnectMaxMs: number;

  constructor(
    private readonly url: string,
    options: PgChannelOptions = {},
  ) {
    this.pingMs = options.pingMs ?? 300;
    this.healthyWithinMs = options.healthyWithinMs ?? 900;
    this.reconnectMaxMs = options.reconnectMaxMs ?? 5000;
  }

  // Channels are known before start(); each handler gets every payload on its channel, from any process
  listen(channel: string, handler: (payload: string) => void): void {
    this.handlers.set(channel, [...(this.handlers.get(channel) ?? []), handler]);
  }

  // Another process was heard for the first time (or again after it was taken for gone): hasPeers() turned true
  onPeerJoined(handler: () => void): void {
    this.joined.push(handler);
  }

  // After a lost connection was replaced: notifications sent meanwhile were missed
  onReconnect(handler: () => void): void {
    this.reconnected.push(handler);
  }

  // The first connection is part of start-up: an unreachable database fails it
  async start(): Promise<void> {
    await this.connect();
    this.pingTimer = setInterval(() => this.ping(), this.pingMs);
    this.pingTimer.unref();
    this.ping();
  }

  healthy(): boolean {
    return this.connected && Date.now() - this.lastPingSentAt < this.healthyWithinMs;
  }

  // Whether another api process listens on this database (when unsure, yes). A process that starts is heard
  // within pingMs of its LISTEN connection opening, before its server takes its first request.
  hasPeers(): boolean {
    if (!this.healthy()) return true;
    const now = Date.now();
    for (const [id, at] of this.peers) {
      if (now - at < PEER_GONE_MS) return true;
      this.peers.delete(id);
    }
    return false;
  }

  // Sends the payloads on `channel`, in order, after everything sent before (never rejects: a send that fails
  // is logged; listeners missed it, as they would any notification while disconnected)
  notify(channel: string, payloads: string[]): Promise<void> {
    const send = this.sending
      .then(async () => {
        const client = this.client;
        if (!client || !this.connected) throw new Error('not connected');
        const text = payloads
          .map((p) => `select pg_notify(${client.escapeLiteral(channel)}, ${client.escapeLiteral(p)})`)
          .join(';');
        await client.query(text);
      })
      .catch((error: unknown) => {
        if (!this.closed) this.notSent({ channel, error: (error as Error).message });
      });
    this.sending = send;
    return send;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pingTimer);
    clearTimeout(this.retryTimer);
    await this.sending;
    this.connected = false;
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.url,
      keepAlive: true,
      application_name: `algodatta-cluster-${this.id}`,
    });
    // Bound now: later callbacks must not run under the correlation id of whatever request was current
    client.on(
      'notification',
      AsyncResource.bind((message: { channel: string; payload?: string }) =>
        this.deliver(message.channel, message.payload ?? ''),
      ),
    );
    client.on(
      'error',
      AsyncResource.bind((error: Error) => this.lost(client, error)),
    );
    client.on(
      'end',
      AsyncResource.bind(() => this.lost(client)),
    );
    try {
      await client.connect();
      const channels = [...this.handlers.keys(), PRESENCE_CHANNEL];
      await client.query(channels.map((c) => `listen ${client.escapeIdentifier(c)}`).join(';'));
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    this.connected = true;
    this.connectedAt = Date.now();
  }

  private deliver(channel: string, payload: string): void {
    if (channel === PRESENCE_CHANNEL) {
      const [id, sentAt] = payload.split(':');
      if (id === this.id) this.lastPingSentAt = Math.max(this.lastPingSentAt, Number(sentAt) || 0);
      else if (id) {
        const known = this.peers.has(id);
        this.peers.set(id, Date.now());
        if (!known) for (const handler of this.joined) handler();
      }
      return;
    }
    for (const handler of this.handlers.get(channel) ?? []) {
      try {
        handler(payload);
      } catch (error) {
        logger.error('cluster: a notification handler failed', { channel, error });
      }
    }
  }

  private ping(): void {
    const client = this.client;
    if (!client || !this.connected) return;
    // A connection that stopped answering without closing (a dead peer): replaced rather than waited on
    if (Date.now() - Math.max(this.lastPingSentAt, this.connectedAt) > STALLED_MS)
      return this.lost(client, new Error('pings stopped coming back'));
    // One ping at a time (a ping still out is not sent again)
    if (this.pingOut === client) return;
    this.pingOut = client;
    client
      .query(`select pg_notify('${PRESENCE_CHANNEL}', '${this.id}:${Date.now()}')`)
      .catch(() => undefined)
      .finally(() => {
        if (this.pingOut === client) this.pingOut = undefined;
      });
  }

  private lost(client: Client, error?: Error): void {
    if (this.client !== client || this.closed) return;
    this.connected = false;
    this.client = undefined;
    client.end().catch(() => undefined);
    logger.warn('cluster: LISTEN connection lost; reconnecting', { error: error?.message });
    this.retry(100);
  }

  private retry(delayMs: number): void {
    this.retryTimer = setTimeout(() => {
      if (this.closed) return;
      this.connect().then(
        () => {
          logger.info('cluster: LISTEN connection back');
          for (const handler of this.reconnected) handler();
        },
        (error: unknown) => {
          logger.warn('cluster: could not reconnect the LISTEN connection', { error: (error as Error).message });
          this.retry(Math.min(this.reconnectMaxMs, delayMs * 2));
        },
      );
    }, delayMs);
    this.retryTimer.unref();
  }
}
