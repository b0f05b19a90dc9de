// Faults a test can inject through the JS handle or POST /__sim/faults
export type SimFaultKind =
  | 'http_500' // answer 500 DH-908 without processing
  | 'slow' // wait delayMs, then process normally (the client may time out while the order is being booked)
  | 'drop_response' // process (book the order), then destroy the socket without answering
  | 'error_after_booking' // process, then answer 500 DH-908 anyway
  | 'rate_limit' // answer 429 DH-904 without processing
  | 'http_error'; // answer `status` with `body` without processing

export type SimFault = {
  kind: SimFaultKind;
  method?: string;
  path?: string; // exact path after the /v2 prefix, e.g. "/orders"
  pathPrefix?: string;
  times?: number; // default 1; Infinity or -1 means until cleared
  delayMs?: number;
  status?: number;
  body?: unknown;
};

const KINDS: readonly SimFaultKind[] = [
  'http_500',
  'slow',
  'drop_response',
  'error_after_booking',
  'rate_limit',
  'http_error',
];

export function parseFault(input: unknown): SimFault {
  if (!input || typeof input !== 'object') throw new Error('fault must be an object');
  const f = input as Record<string, unknown>;
  if (typeof f.kind !== 'string' || !KINDS.includes(f.kind as SimFaultKind))
    throw new Error(`fault.kind must be one of ${KINDS.join(', ')}`);
  const str = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : undefined);
  const num = (k: string) => (typeof f[k] === 'number' ? (f[k] as number) : undefined);
  return {
    kind: f.kind as SimFaultKind,
    method: str('method')?.toUpperCase(),
    path: str('path'),
    pathPrefix: str('pathPrefix'),
    times: num('times'),
    delayMs: num('delayMs'),
    status: num('status'),
    body: f.body,
  };
}

export class FaultQueue {
  private faults: { fault: SimFault; left: number }[] = [];

  add(fault: SimFault): void {
    const t = fault.times ?? 1;
    this.faults.push({ fault, left: t < 0 ? Infinity : t });
  }

  clear(): void {
    this.faults = [];
  }

  // The first matching fault is consumed once per request
  take(method: string, path: string): SimFault | undefined {
    const i = this.faults.findIndex(
      ({ fault: f }) =>
        (!f.method || f.method === method) &&
        (!f.path || f.path === path) &&
        (!f.pathPrefix || path.startsWith(f.pathPrefix)),
    );
    if (i < 0) return undefined;
    const entry = this.faults[i];
    entry.left -= 1;
    if (entry.left <= 0) this.faults.splice(i, 1);
    return entry.fault;
  }
}
