// DhanHQ access tokens are JWTs whose `exp` claim (epoch seconds) is the expiry. Read without verifying: we only
// want to know when to renew; the broker decides whether the token is valid.

/** Expiry (epoch ms) from a JWT's `exp` claim; undefined when the token is not a JWT or has no exp. */
export function jwtExpiry(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' && Number.isFinite(claims.exp) && claims.exp > 0
      ? claims.exp * 1000
      : undefined;
  } catch {
    return undefined;
  }
}
