// Access tokens in the simulator: each has an expiry and a kind. Web tokens (the user's, from Dhan Web) can be
// renewed while still valid (RenewToken, GET only); PIN + TOTP logins (generateAccessToken on the auth host) make
// tokens that cannot. Issued tokens are JWT-shaped with an `exp` claim, as Dhan's are.
import { randomBytes } from 'node:crypto';
import { totpMatches } from '../session/totp';
import { formatIst } from './sim-time';

export type SimTokenKind = 'web' | 'totp';
type Reply = { status: number; body: unknown };

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

export class SimSessions {
  private readonly tokens = new Map<string, { expiresAt: number; kind: SimTokenKind }>();
  // expireToken(): every current token stops working (as the 24th hour passing would)
  private allExpired = false;

  constructor(
    private readonly o: { clientId: string; now: () => number; ttlMs: number; pin?: string; totpSecret?: string },
  ) {}

  /** Replaces every token with this one (a fresh web token). */
  reset(token: string, expiresAt = this.o.now() + this.o.ttlMs): void {
    this.tokens.clear();
    this.allExpired = false;
    this.tokens.set(token, { expiresAt, kind: 'web' });
  }

  /** One more valid token (e.g. a second client of the account), without touching the others. */
  add(token: string, kind: SimTokenKind = 'web', expiresAt = this.o.now() + this.o.ttlMs): void {
    this.tokens.set(token, { expiresAt, kind });
  }

  expireAll(): void {
    this.allExpired = true;
  }

  /** Sets one token's expiry (tests move it close to now). */
  setExpiry(token: string, expiresAt: number): void {
    const t = this.tokens.get(token);
    if (t) t.expiresAt = expiresAt;
  }

  valid(token: unknown): boolean {
    if (typeof token !== 'string' || this.allExpired) return false;
    const t = this.tokens.get(token);
    return !!t && this.o.now() < t.expiresAt;
  }

  private issue(kind: SimTokenKind): { token: string; expiresAt: number } {
    const expiresAt = this.o.now() + this.o.ttlMs;
    const token = `${b64({ typ: 'JWT', alg: 'HS512' })}.${b64({
      iss: 'dhan',
      partnerId: '',
      exp: Math.floor(expiresAt / 1000),
      tokenConsumerType: 'SELF',
      webhookUrl: '',
      dhanClientId: this.o.clientId,
    })}.${randomBytes(32).toString('base64url')}`;
    this.tokens.set(token, { expiresAt, kind });
    return { token, expiresAt };
  }

  private answer(token: string, expiresAt: number): Reply {
    return {
      status: 200,
      body: {
        dhanClientId: this.o.clientId,
        dhanClientName: 'SIMULATED CLIENT',
        dhanClientUcc: 'SIM0001',
        givenPowerOfAttorney: false,
        accessToken: token,
        expiryTime: formatIst(expiresAt).replace(' ', 'T') + '.000',
      },
    };
  }

  /** {base}/RenewToken: the caller's token was already checked valid. The old token stops working. */
  renew(method: string, token: string): Reply {
    // Pinned: the SDK's GET works, the POST a community page shows gets DH-905 (DhanHQ-py #108)
    if (method !== 'GET') {
      return {
        status: 400,
        body: {
          errorType: 'Input_Exception',
          errorCode: 'DH-905',
          errorMessage: 'Missing required fields, bad values for parameters etc.',
        },
      };
    }
    if (this.tokens.get(token)?.kind !== 'web') {
      return {
        status: 403,
        body: {
          errorType: 'Invalid_Access',
          errorCode: 'DH-902',
          errorMessage: 'Only access tokens generated on Dhan Web can be renewed',
        },
      };
    }
    this.tokens.delete(token);
    const fresh = this.issue('web');
    return this.answer(fresh.token, fresh.expiresAt);
  }

  /** POST {auth}/app/generateAccessToken?dhanClientId=&pin=&totp= */
  login(method: string, q: Record<string, string>): Reply {
    const refuse = (msg: string): Reply => ({
      status: 401,
      body: { errorType: 'Invalid_Authentication', errorCode: 'DH-901', errorMessage: msg },
    });
    if (method !== 'POST')
      return { status: 405, body: { errorType: 'Input_Exception', errorCode: 'DH-905', errorMessage: 'use POST' } };
    if (!this.o.pin || !this.o.totpSecret) return refuse('TOTP is not enabled for this client');
    if (q.dhanClientId !== this.o.clientId) return refuse('Invalid client id');
    if (q.pin !== this.o.pin || !/^\d{6}$/.test(q.totp ?? '') || !totpMatches(this.o.totpSecret, q.totp, this.o.now()))
      return refuse('Invalid PIN or TOTP');
    const fresh = this.issue('totp');
    return this.answer(fresh.token, fresh.expiresAt);
  }
}
