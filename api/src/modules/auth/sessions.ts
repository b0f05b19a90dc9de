import { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../../db/query';
import { assertId } from '../../shared/ids';
import { RefreshToken } from './refresh-token.entity';
import type { Session } from './session.types';

// A login is a refresh-token family: each refresh adds a token to it, so its first token says when the login
// started and its newest one when it was last used. It is live while its newest token is unused, unrevoked and
// unexpired.
const LIVE_SESSIONS = `
select family_id, min(created_at) as started_at, max(created_at) as last_active_at, max(expires_at) as expires_at
from refresh_tokens
where user_id = ?
group by family_id
having bool_or(used_at is null and revoked_at is null and expires_at > now())
order by max(created_at) desc
limit 100`;

type Row = { family_id: string; started_at: Date; last_active_at: Date; expires_at: Date };

export async function listSessions(em: EntityManager, userId: string, currentId?: string): Promise<Session[]> {
  const rows = await query<Row>(em, LIVE_SESSIONS, [userId]);
  return rows.map((r) => ({
    id: r.family_id,
    startedAt: new Date(r.started_at),
    lastActiveAt: new Date(r.last_active_at),
    expiresAt: new Date(r.expires_at),
    current: r.family_id === currentId,
  }));
}

// Only the caller's own logins; false when there is no such live login. Access tokens already issued to it keep
// working until they expire (ACCESS_TOKEN_TTL), as after a logout.
export async function revokeSession(em: EntityManager, userId: string, id: string): Promise<boolean> {
  const changed = await em.nativeUpdate(
    RefreshToken,
    { familyId: assertId(id), user: userId, revokedAt: null },
    { revokedAt: new Date() },
  );
  return changed > 0;
}
