// has.session for Dhan: expiry from the JWT (or the profile), RenewToken, and generateAccessToken (PIN + TOTP)
import { AuthError } from '@algodatta/broker-sdk';
import type { LoginSecrets, SessionInfo, SessionToken } from '@algodatta/broker-sdk';
import { BROKER_NAME, mapDhanFailure } from '../error-map';
import { DhanRequestFailed } from '../http/dhan-failure';
import type { DhanHttpClient } from '../http/dhan-http.client';
import type { SlidingWindowLimiter } from '../http/rate-limiter';
import type { DhanOptions } from '../options';
import { parseIstDateTime, str } from '../parse/values.parse';
import { jwtExpiry } from './jwt-expiry';
import { totpCode } from './totp';

export type SessionDeps = {
  http: DhanHttpClient;
  limiter: SlidingWindowLimiter;
  options: Pick<DhanOptions, 'authBaseUrl' | 'renewTokenMethod'>;
  clientId: string;
  accountId: string;
  now: () => number;
  profileExpiry: () => Promise<{ expiresAt?: number; raw: unknown }>;
};

/*
 * generateAccessToken (COMM): {"dhanClientId":"1100003626","dhanClientName":"…","dhanClientUcc":"…",
 *  "givenPowerOfAttorney":true,"accessToken":"eyJ…","expiryTime":"2026-12-02T09:15:00.000"}
 * RenewToken answers the same shape (assumed; the simulator pins it). expiryTime is IST.
 */
function tokenFrom(raw: unknown, via: SessionToken['via']): SessionToken {
  const r = (raw ?? {}) as Record<string, unknown>;
  const accessToken = str(r.accessToken) ?? str(r.token) ?? str(r.access_token);
  if (!accessToken)
    throw new AuthError(`dhan: the ${via === 'renew' ? 'renewal' : 'login'} answer carried no access token`, {
      broker: BROKER_NAME,
    });
  const { accessToken: _a, token: _t, access_token: _x, ...rest } = r;
  void _a;
  void _t;
  void _x;
  const out: SessionToken = { accessToken, via, raw: rest };
  const expiresAt = jwtExpiry(accessToken) ?? parseIstDateTime(r.expiryTime);
  if (expiresAt !== undefined) out.expiresAt = expiresAt;
  return out;
}

export async function sessionExpiry(d: SessionDeps): Promise<SessionInfo> {
  const fromToken = jwtExpiry(d.http.accessToken);
  if (fromToken !== undefined)
    return {
      broker: BROKER_NAME,
      accountId: d.accountId,
      expiresAt: fromToken,
      source: 'token',
      raw: { exp: fromToken / 1000 },
    };
  const p = await d.profileExpiry();
  const info: SessionInfo = { broker: BROKER_NAME, accountId: d.accountId, source: 'profile', raw: p.raw ?? null };
  if (p.expiresAt !== undefined) info.expiresAt = p.expiresAt;
  return info;
}

export async function renewSession(d: SessionDeps): Promise<SessionToken> {
  let raw: unknown;
  try {
    raw = await d.limiter.schedule(() =>
      d.http.request<unknown>({
        method: d.options.renewTokenMethod,
        path: '/RenewToken',
        headers: { dhanClientId: d.clientId },
      }),
    );
  } catch (e) {
    // An expired token is DH-901 -> TokenExpiredError: only a new login helps
    if (e instanceof DhanRequestFailed)
      throw mapDhanFailure(e.failure, { op: 'read', what: 'renew the access token', cause: e });
    throw e;
  }
  const token = tokenFrom(raw, 'renew');
  d.http.setAccessToken(token.accessToken);
  return token;
}

export async function loginSession(d: SessionDeps, secrets: LoginSecrets): Promise<SessionToken> {
  if (!secrets?.pin || !secrets?.totpSecret)
    throw new AuthError('dhan: login needs the PIN and the TOTP secret', { broker: BROKER_NAME });
  let totp: string;
  try {
    totp = totpCode(secrets.totpSecret, d.now());
  } catch (e) {
    throw new AuthError('dhan: the TOTP secret is not valid base32', { broker: BROKER_NAME, cause: e });
  }
  let raw: unknown;
  try {
    raw = await d.limiter.schedule(() =>
      d.http.request<unknown>({
        method: 'POST',
        baseUrl: d.options.authBaseUrl,
        path: '/app/generateAccessToken',
        auth: false,
        query: { dhanClientId: d.clientId, pin: secrets.pin, totp },
      }),
    );
  } catch (e) {
    if (!(e instanceof DhanRequestFailed)) throw e;
    const mapped = mapDhanFailure(e.failure, { op: 'read', what: 'log in with PIN + TOTP', cause: e });
    // Any refusal of the login itself means wrong PIN, TOTP or client id: the user must fix the secrets
    if (e.failure.kind === 'http' && e.failure.status < 500 && e.failure.status !== 429) {
      throw new AuthError(
        `dhan: login with PIN + TOTP was refused (HTTP ${e.failure.status}${mapped.brokerCode ? ` ${mapped.brokerCode}` : ''})`,
        { broker: BROKER_NAME, brokerCode: mapped.brokerCode, cause: e },
      );
    }
    throw mapped;
  }
  const token = tokenFrom(raw, 'login');
  d.http.setAccessToken(token.accessToken);
  return token;
}
