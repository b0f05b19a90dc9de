import { raw } from '@mikro-orm/core';
import { badInput } from '../shared/app-error';

// Keyset paging for every list ordered newest first (created_at desc, id desc). The cursor names only the last
// row's id; its position is read back from the table at the column's full precision. (A cursor that carried the
// time lost the microseconds PostgreSQL keeps, and rows of one batch, which share one now(), were skipped.)

export const encodeCursor = (id: string): string => Buffer.from(id).toString('base64url');

// Earlier cursors were "<ms>|<id>": their id is still the row they point at
export function decodeCursor(cursor: string, path = 'after'): string {
  const text = Buffer.from(cursor, 'base64url').toString();
  const id = text.slice(text.lastIndexOf('|') + 1);
  if (!UUID.test(id)) throw badInput(`${path} is not a valid cursor`, [{ path, message: 'use pageInfo.endCursor' }]);
  return id.toLowerCase();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Rows strictly after the cursor's row in (created_at desc, id desc) order. The first comparison lets the
// (…, created_at) index start at the cursor; the row comparison breaks ties by id. `table` is a constant.
export function afterRow(table: string, id: string) {
  return {
    [raw(
      (alias: string) => `${alias}.created_at <= (select k.created_at from "${table}" k where k.id = ?)
      and (${alias}.created_at, ${alias}.id) < (select k.created_at, k.id from "${table}" k where k.id = ?)`,
      [id, id],
    )]: [],
  };
}
