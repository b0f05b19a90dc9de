import type { OverflowFeed } from '../../../cluster/overflow-feed';
import type { Sql } from '../../../db/sql';
import { isDatabaseConnectionLost } from '../../../shared/database-connection-lost';
import { logger } from '../../../shared/logger';

/** A position whose executions wait in PostgreSQL. */
export type WaitingPosition = { strategyId: string; userId: string; symbol: string; mode: string };

/** What overflow sharing needs of the executor. */
export type OverflowExecutor = {
  hasCapacity(): boolean;
  resume(position: WaitingPosition): void;
};

export type OverflowSharingOptions = {
  /** The safety net: how often a process with free capacity looks for waiting work itself (OVERFLOW_POLL_SECONDS) */
  pollMs: number;
  /** The poll leaves executions younger than this to the process that received them (it starts them at once) */
  graceMs?: number;
  /** A position is announced at most this often while its executions keep spilling */
  announceEveryMs?: number;
};

// Positions with due executions waiting (not leased, not waiting for a retry) that arrived over graceMs ago: a few,
// through the open-executions index. The recovery sweep's count of every waiting position is more than a poll needs.
const WAITING_SQL = `select distinct strategy_id, user_id, symbol, mode from executions
  where status = 'PENDING' and (lease_until is null or lease_until < now()) and (next_attempt_at is null or next_attempt_at <= now())
    and created_at < now() - (? * interval '1 millisecond')
  limit ?`;
const POLL_POSITIONS = 16;
// Positions heard of while this process had no room are resumed once it has (checked this often, while any wait)
const DEFERRED_CHECK_MS = 200;
const DEFERRED_MAX = 1000;

// Issue 19, work sharing across api processes. A process whose in-memory queue is full leaves accepted executions
// PENDING in PostgreSQL; without this, another process took them only at the recovery sweep (RECOVERY_SWEEP_SECONDS,
// run by one process of the cluster). Now the busy process announces the position (NOTIFY, at most once per
// announceEveryMs per position), and every other process with free capacity resumes that position: it loads the
// position's waiting executions in arrival order and attempts them, each attempt claiming the position's oldest
// waiting execution inside the position's turn (claimNext, FOR UPDATE SKIP LOCKED), so the position's order holds
// whichever process decides, and each execution is claimed once. A process with free capacity also polls every
// pollMs for positions with work waiting over graceMs (an announcement heard while it was busy, or missed while its
// LISTEN connection was being replaced).
export class OverflowSharing {
  private executor?: OverflowExecutor;
  private readonly toAnnounce = new Map<string, WaitingPosition>();
  private readonly announcedAt = new Map<string, number>();
  private readonly trailing = new Map<string, NodeJS.Timeout>();
  private readonly deferred = new Map<string, WaitingPosition>();
  private deferredTimer?: NodeJS.Timeout;
  private flushing = false;
  private polling = false;
  private pollTimer?: NodeJS.Timeout;
  private stopped = false;
  private readonly graceMs: number;
  private readonly announceEveryMs: number;

  constructor(
    private readonly channel: OverflowFeed,
    private readonly sql: Sql,
    private readonly options: OverflowSharingOptions,
  ) {
    this.graceMs = options.graceMs ?? 1000;
    this.announceEveryMs = options.announceEveryMs ?? 250;
    channel.on((payload) => this.heard(payload));
  }

  // The executor is made after this (it reports its spills here)
  attach(executor: OverflowExecutor): void {
    this.executor = executor;
  }

  /** The executor left an execution of this position in PostgreSQL, beyond its bound. Never throws, never blocks. */
  readonly overflowed = (position: WaitingPosition): void => {
    if (this.stopped) return;
    const payload = encode(position);
    const now = Date.now();
    const last = this.announcedAt.get(payload) ?? -Infinity;
    if (now - last < this.announceEveryMs) {
      // Spilled again inside the window: announced once more at its end, or what spilled after a peer already
      // drained the first announcement would wait for the poll
      if (!this.trailing.has(payload)) {
        const timer = setTimeout(
          () => {
            this.trailing.delete(payload);
            this.overflowed(position);
          },
          last + this.announceEveryMs - now,
        );
        timer.unref();
        this.trailing.set(payload, timer);
      }
      return;
    }
    if (this.announcedAt.size >= 10_000) this.announcedAt.clear();
    this.announcedAt.set(payload, now);
    this.toAnnounce.set(payload, position);
    if (this.flushing) return;
    // One NOTIFY statement for the positions one batch of alerts spilled
    this.flushing = true;
    setImmediate(() => {
      this.flushing = false;
      const payloads = [...this.toAnnounce.keys()];
      this.toAnnounce.clear();
      if (!this.stopped) this.channel.send(payloads);
    });
  };

  start(): void {
    this.pollTimer = setInterval(() => void this.poll(), this.options.pollMs);
    this.pollTimer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.deferredTimer);
    for (const timer of this.trailing.values()) clearTimeout(timer);
    this.trailing.clear();
    this.deferred.clear();
  }

  /** Looks once for positions with work waiting, if this process has room; returns how many it resumed. */
  async poll(): Promise<number> {
    if (this.stopped || this.polling || !this.executor?.hasCapacity()) return 0;
    this.polling = true;
    try {
      const rows = await this.sql.query<{ strategy_id: string; user_id: string; symbol: string; mode: string }>(
        WAITING_SQL,
        [this.graceMs, POLL_POSITIONS],
      );
      for (const r of rows)
        this.executor.resume({ strategyId: r.strategy_id, userId: r.user_id, symbol: r.symbol, mode: r.mode });
      return rows.length;
    } catch (error) {
      logger.log(isDatabaseConnectionLost(error) ? 'warn' : 'error', 'overflow poll failed', { error });
      return 0;
    } finally {
      this.polling = false;
    }
  }

  // Another process left work of this position in PostgreSQL: taken now if this process has room, else once it has
  private heard(payload: string): void {
    const position = decode(payload);
    if (!position || this.stopped || !this.executor) return;
    if (this.executor.hasCapacity()) return this.executor.resume(position);
    if (this.deferred.size < DEFERRED_MAX) this.deferred.set(payload, position);
    this.deferredTimer ??= setTimeout(() => this.resumeDeferred(), DEFERRED_CHECK_MS).unref();
  }

  private resumeDeferred(): void {
    this.deferredTimer = undefined;
    if (this.stopped || !this.executor) return;
    if (this.executor.hasCapacity()) {
      // Each resumed position is drained in arrival order as room allows (the scheduler's rotation)
      for (const position of this.deferred.values()) this.executor.resume(position);
      this.deferred.clear();
      return;
    }
    this.deferredTimer = setTimeout(() => this.resumeDeferred(), DEFERRED_CHECK_MS).unref();
  }
}

// userId|strategyId|mode|symbol (ids and mode have no bar; a symbol could)
function encode(p: WaitingPosition): string {
  return `${p.userId}|${p.strategyId}|${p.mode}|${p.symbol}`;
}

function decode(payload: string): WaitingPosition | null {
  const parts = payload.split('|');
  if (parts.length < 4) return null;
  const [userId, strategyId, mode, ...symbol] = parts;
  return { userId, strategyId, mode, symbol: symbol.join('|') };
}
