import { DhanRequestFailed } from './dhan-failure';
import type { DhanFailure } from './dhan-failure';

export type DhanHttpConfig = {
  baseUrl: string;
  clientId: string;
  accessToken: string;
  timeoutMs: number;
  fetch?: typeof fetch;
  signal?: AbortSignal;
};

export type DhanRequest = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string; // e.g. "/orders/123", relative to baseUrl
  query?: Record<string, string>;
  body?: Record<string, unknown>;
  timeoutMs?: number;
  /** Another host than baseUrl (DhanHQ's auth host). */
  baseUrl?: string;
  /** Extra headers (e.g. RenewToken's dhanClientId). */
  headers?: Record<string, string>;
  /** false: send no access token or client id (the PIN + TOTP login needs none). Default true. */
  auth?: boolean;
};

// Errors that mean the request never left this machine or never reached Dhan
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_INVALID_URL',
  'bad port', // fetch refuses some ports before connecting
]);

function errorCode(e: unknown): string {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const c = cur as { code?: unknown; cause?: unknown };
    if (typeof c.code === 'string') return c.code;
    cur = c.cause;
  }
  return e instanceof Error ? e.message : 'unknown';
}

// Thin JSON-over-HTTP client: Dhan's headers, dhanClientId in write bodies, one deadline per call
export class DhanHttpClient {
  private token: string;

  constructor(private readonly cfg: DhanHttpConfig) {
    this.token = cfg.accessToken;
  }

  /** The token every later request sends (after a renewal or a login). */
  get accessToken(): string {
    return this.token;
  }

  setAccessToken(token: string): void {
    this.token = token;
  }

  async request<T>(req: DhanRequest): Promise<T> {
    const url = new URL((req.baseUrl ?? this.cfg.baseUrl).replace(/\/+$/, '') + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = {
      ...(req.auth === false ? {} : { 'access-token': this.token, 'client-id': this.cfg.clientId }),
      'Content-Type': 'application/json',
      Accept: 'application/json',
      ...req.headers,
    };
    const body = req.body ? JSON.stringify({ dhanClientId: this.cfg.clientId, ...req.body }) : undefined;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), req.timeoutMs ?? this.cfg.timeoutMs);
    const signal = this.cfg.signal ? AbortSignal.any([timeout.signal, this.cfg.signal]) : timeout.signal;
    const fail = (f: DhanFailure, cause?: unknown) => new DhanRequestFailed(f, req.method, req.path, cause);
    let res: Response;
    let text: string;
    try {
      res = await (this.cfg.fetch ?? fetch)(url, { method: req.method, headers, body, signal });
      text = await res.text();
    } catch (e) {
      if (timeout.signal.aborted) throw fail({ kind: 'timeout' }, e);
      const code = errorCode(e);
      throw fail(CONNECT_CODES.has(code) ? { kind: 'connect', code } : { kind: 'dropped', code }, e);
    } finally {
      clearTimeout(timer);
    }
    let parsed: unknown = undefined;
    if (text.trim()) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    if (!res.ok) throw fail({ kind: 'http', status: res.status, body: parsed, text });
    if (parsed === undefined) throw fail({ kind: 'bad_response', status: res.status, text });
    return parsed as T;
  }
}
