// What went wrong on one HTTP exchange with Dhan, before it is mapped to an SDK error (error-map.ts)
export type DhanFailure =
  | { kind: 'http'; status: number; body: unknown; text: string }
  | { kind: 'timeout' } // our deadline passed; the request may have reached Dhan
  | { kind: 'connect'; code: string } // never reached Dhan (refused, DNS): nothing happened there
  | { kind: 'dropped'; code: string } // connection lost after sending: the request may have taken effect
  | { kind: 'bad_response'; status: number; text: string }; // 2xx that is not the JSON we expect

export class DhanRequestFailed extends Error {
  constructor(
    readonly failure: DhanFailure,
    readonly method: string,
    readonly path: string,
    cause?: unknown,
  ) {
    super(`Dhan ${method} ${path} failed: ${describe(failure)}`, cause === undefined ? undefined : { cause });
    this.name = 'DhanRequestFailed';
  }
}

function describe(f: DhanFailure): string {
  switch (f.kind) {
    case 'http':
      return `HTTP ${f.status} ${f.text.slice(0, 300)}`;
    case 'timeout':
      return 'timed out';
    case 'connect':
      return `could not connect (${f.code})`;
    case 'dropped':
      return `connection lost (${f.code})`;
    case 'bad_response':
      return `unexpected response ${f.status} ${f.text.slice(0, 200)}`;
  }
}
