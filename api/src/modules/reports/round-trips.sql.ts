import { badInput } from '../../shared/app-error';
import { assertId } from '../../shared/ids';
import { ReportScope, scopeConditions } from './report-scope';

export type RoundTripRow = {
  id: string;
  strategy_id: string;
  symbol: string;
  mode: string;
  side: string;
  qty: string;
  entry_price: string;
  exit_price: string;
  max_qty: string;
  gross_pnl: string;
  charges: string;
  net_pnl: string;
  fills: number;
  opened_at: Date;
  closed_at: Date;
  micros: string;
};

// Cursor = base64url("<closed_at in microseconds since the epoch>|<id>"): exact keyset paging over (closed_at desc,
// id desc), which the round_trips (…, closed_at, id) indexes give backwards without a sort
export const encodeTripCursor = (micros: string, id: string) => Buffer.from(`${micros}|${id}`).toString('base64url');
function decodeTripCursor(cursor: string): { micros: string; id: string } {
  const [micros, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!micros || !/^\d{1,17}$/.test(micros) || !id)
    throw badInput('after is not a valid cursor', [{ path: 'after', message: 'use pageInfo.endCursor' }]);
  return { micros, id: assertId(id, 'after') };
}

const dec = (column: string) => `trim_scale(rt.${column})::text as ${column}`;

// One page of the scope's trips, newest first, one row more than asked for (so the caller knows whether more follow)
export function roundTripPageStatement(
  scope: ReportScope,
  first: number,
  after?: string,
): { text: string; params: unknown[] } {
  const { where, params } = scopeConditions(scope, 'rt', 'closed_at');
  let keyset = '';
  if (after) {
    const c = decodeTripCursor(after);
    keyset = ` and (rt.closed_at, rt.id) < (timestamptz 'epoch' + ?::bigint * interval '1 microsecond', ?::uuid)`;
    params.push(c.micros, c.id);
  }
  return {
    text: `select rt.id::text, rt.strategy_id::text, rt.symbol, rt.mode, rt.side, ${dec('qty')}, ${dec('entry_price')}, ${dec('exit_price')},
      ${dec('max_qty')}, ${dec('gross_pnl')}, ${dec('charges')}, ${dec('net_pnl')}, rt.fills, rt.opened_at, rt.closed_at,
      (extract(epoch from rt.closed_at) * 1000000)::bigint::text as micros
    from round_trips rt where ${where}${keyset} order by rt.closed_at desc, rt.id desc limit ?`,
    params: [...params, first + 1],
  };
}
