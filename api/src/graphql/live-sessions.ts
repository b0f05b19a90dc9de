import type { MikroORM } from '@mikro-orm/core';
import type { ChangeFeed } from '../cluster/change-feed';
import { Role, UserStatus } from '../shared/enums';
import { logger } from '../shared/logger';

// Close codes of graphql-ws: the credential stopped working (sign in or refresh, then reconnect) / not allowed
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_FORBIDDEN = 4403;

// A WebSocket connection, as authenticated when it opened. Its rights are checked again while it lasts.
export type LiveSession = {
  userId: string;
  role: Role;
  apiKeyId?: string;
  expiresAt?: Date;
  close(code: number, reason: string): void;
};

type UserState = { role: Role; status: UserStatus } | null;
type KeyState = { revokedAt: Date | null; expiresAt: Date | null } | null;
type Cached<T> = { at: number; value: Promise<T> };

const MAX_TIMER_MS = 2 ** 31 - 1;

// Every open WebSocket session, checked: at its credential's expiry (timer), at once when an admin changes the
// user's status or the key is revoked in this process (hooks wired in app/services.ts) or in any other (the
// change feed: database triggers -> NOTIFY, see follow()), before every event it would receive (state cached for
// cacheMs, so a burst of events costs one query per user), and every recheckMs in case a change was missed. A session that lost its rights is closed:
// 4401 when its token or key expired or was revoked, 4403 when the user was disabled or their role changed.
export class LiveSessions {
  private readonly open = new Map<LiveSession, NodeJS.Timeout | undefined>();
  private readonly users = new Map<string, Cached<UserState>>();
  private readonly keys = new Map<string, Cached<KeyState>>();
  private sweep?: NodeJS.Timeout;

  constructor(
    private readonly orm: MikroORM,
    private readonly cacheMs = 1000,
    private readonly recheckMs = 30_000,
  ) {}

  add(session: LiveSession): () => void {
    let timer: NodeJS.Timeout | undefined;
    const ms = session.expiresAt ? session.expiresAt.getTime() - Date.now() : undefined;
    if (ms !== undefined && ms < MAX_TIMER_MS) {
      timer = setTimeout(() => this.end(session, CLOSE_UNAUTHORIZED, 'Token expired'), Math.max(0, ms));
      timer.unref();
    }
    this.open.set(session, timer);
    this.sweep ??= setInterval(() => void this.recheckAll(), this.recheckMs).unref();
    return () => this.remove(session);
  }

  // Before an event is delivered: may this session still see events at all?
  // (Never rejects: when the state cannot be read, nothing is delivered and the session stays open.)
  async allows(session: LiveSession): Promise<boolean> {
    if (!this.open.has(session)) return false;
    try {
      const verdict = await this.verdict(session);
      if (verdict) this.end(session, verdict.code, verdict.reason);
      return !verdict;
    } catch (error) {
      logger.warn('could not check a live session', { userId: session.userId, error });
      return false;
    }
  }

  // An admin changed the user's status (or role): their sessions are judged now, on fresh state
  accessChanged(userId: string): void {
    this.users.delete(userId);
    for (const session of this.open.keys()) if (session.userId === userId) void this.allows(session);
  }

  // Changes made anywhere (another api process, the database): the users' and keys' sessions are judged again
  follow(changes: ChangeFeed): void {
    changes.on('users', (id) => this.accessChanged(id));
    changes.on('api_keys', (id) => this.keyChanged(id));
    changes.onMissed(() => void this.recheckAll());
  }

  keyChanged(keyId: string): void {
    this.keys.delete(keyId);
    for (const session of this.open.keys()) if (session.apiKeyId === keyId) void this.allows(session);
  }

  keyRevoked(keyId: string): void {
    this.keys.delete(keyId);
    for (const session of this.open.keys())
      if (session.apiKeyId === keyId) this.end(session, CLOSE_UNAUTHORIZED, 'API key revoked');
  }

  closeAll(): void {
    for (const session of [...this.open.keys()]) this.remove(session);
  }

  private async recheckAll(): Promise<void> {
    this.users.clear();
    this.keys.clear();
    await Promise.all([...this.open.keys()].map((session) => this.allows(session)));
  }

  private async verdict(session: LiveSession): Promise<{ code: number; reason: string } | undefined> {
    if (session.expiresAt && session.expiresAt.getTime() <= Date.now())
      return { code: CLOSE_UNAUTHORIZED, reason: 'Token expired' };
    const [user, key] = await Promise.all([
      this.userState(session.userId),
      session.apiKeyId ? this.keyState(session.apiKeyId) : undefined,
    ]);
    if (!user || user.status !== UserStatus.ACTIVE) return { code: CLOSE_FORBIDDEN, reason: 'Account disabled' };
    if (user.role !== session.role) return { code: CLOSE_FORBIDDEN, reason: 'Role changed' };
    if (key === null || key?.revokedAt) return { code: CLOSE_UNAUTHORIZED, reason: 'API key revoked' };
    if (key?.expiresAt && key.expiresAt.getTime() <= Date.now())
      return { code: CLOSE_UNAUTHORIZED, reason: 'API key expired' };
    return undefined;
  }

  private userState(id: string): Promise<UserState> {
    return this.cached(this.users, id, async () => {
      const [row] = await this.orm.em
        .getConnection()
        .execute<Array<{ role: Role; status: UserStatus }>>('select role, status from users where id = ?', [id]);
      return row ? { role: row.role, status: row.status } : null;
    });
  }

  private keyState(id: string): Promise<KeyState> {
    return this.cached(this.keys, id, async () => {
      const [row] = await this.orm.em
        .getConnection()
        .execute<Array<{ revoked_at: Date | null; expires_at: Date | null }>>(
          'select revoked_at, expires_at from api_keys where id = ?',
          [id],
        );
      return row ? { revokedAt: row.revoked_at, expiresAt: row.expires_at } : null;
    });
  }

  // One load per id per cacheMs, shared by everyone asking meanwhile; a failed load is not kept
  private cached<T>(cache: Map<string, Cached<T>>, id: string, load: () => Promise<T>): Promise<T> {
    const hit = cache.get(id);
    if (hit && Date.now() - hit.at < this.cacheMs) return hit.value;
    const value = load();
    cache.set(id, { at: Date.now(), value });
    value.catch(() => cache.delete(id));
    return value;
  }

  private end(session: LiveSession, code: number, reason: string): void {
    if (!this.open.has(session)) return;
    this.remove(session);
    logger.info('websocket closed: rights changed', { userId: session.userId, code, reason });
    session.close(code, reason);
  }

  private remove(session: LiveSession): void {
    clearTimeout(this.open.get(session));
    this.open.delete(session);
    if (this.open.size === 0 && this.sweep) {
      clearInterval(this.sweep);
      this.sweep = undefined;
    }
  }
}
