import jwt from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import { Role } from '../../shared/enums';
import { unauthenticated } from '../../shared/app-error';

// sid: the login (refresh-token family) the token was issued for, so "this session" can be told apart
export type AccessClaims = { sub: string; role: Role; typ: 'access'; exp?: number; sid?: string };

export function signAccessToken(secret: string, ttl: string, userId: string, role: Role, sessionId?: string): string {
  const claims: AccessClaims = { sub: userId, role, typ: 'access', ...(sessionId && { sid: sessionId }) };
  return jwt.sign(claims, secret, {
    algorithm: 'HS256',
    expiresIn: ttl as jwt.SignOptions['expiresIn'],
    jwtid: randomUUID(),
  });
}

// Only HS256 is accepted, so a token signed with "none" or another algorithm is refused.
export function verifyAccessToken(secret: string, token: string): AccessClaims {
  try {
    const decoded = jwt.verify(token, secret, { algorithms: ['HS256'] });
    if (typeof decoded !== 'object' || decoded.typ !== 'access' || typeof decoded.sub !== 'string')
      throw new Error('bad claims');
    return decoded as AccessClaims;
  } catch (error) {
    throw unauthenticated(error instanceof jwt.TokenExpiredError ? 'Access token expired' : 'Invalid access token');
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}
