import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { unauthenticated } from '../../shared/app-error';
import { User } from '../users/user.entity';
import { RefreshToken } from './refresh-token.entity';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function issueRefreshToken(
  em: EntityManager,
  user: User,
  ttlDays: number,
  familyId: string = randomUUID(),
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  em.create(RefreshToken, {
    user,
    familyId,
    tokenHash: hashToken(token),
    expiresAt: new Date(Date.now() + ttlDays * 86_400_000),
  });
  await em.flush();
  return token;
}

// Marks the presented token used in one conditional UPDATE, so two concurrent refreshes cannot both win.
// Presenting a token that was already used means it leaked: the whole family is revoked.
export async function rotateRefreshToken(
  em: EntityManager,
  token: string,
): Promise<{ userId: string; familyId: string }> {
  const row = await em.findOne(RefreshToken, { tokenHash: hashToken(token) });
  if (!row || row.revokedAt) throw unauthenticated('Invalid refresh token');
  if (row.expiresAt.getTime() <= Date.now()) throw unauthenticated('Refresh token expired');
  const claimed = await em.nativeUpdate(
    RefreshToken,
    { id: row.id, usedAt: null, revokedAt: null },
    { usedAt: new Date() },
  );
  if (claimed === 0) {
    await revokeFamily(em, row.familyId);
    throw unauthenticated('Refresh token reuse detected; all sessions of this login were revoked');
  }
  return { userId: row.user.id, familyId: row.familyId };
}

export async function revokeFamily(em: EntityManager, familyId: string): Promise<void> {
  await em.nativeUpdate(RefreshToken, { familyId, revokedAt: null }, { revokedAt: new Date() });
}

export async function revokeByToken(em: EntityManager, token: string, userId: string): Promise<boolean> {
  const row = await em.findOne(RefreshToken, { tokenHash: hashToken(token), user: userId });
  if (!row) return false;
  await revokeFamily(em, row.familyId);
  return true;
}

export async function revokeAllForUser(em: EntityManager, userId: string): Promise<void> {
  await em.nativeUpdate(RefreshToken, { user: userId, revokedAt: null }, { revokedAt: new Date() });
}
