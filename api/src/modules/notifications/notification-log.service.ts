import type { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../../db/query';
import { badInput } from '../../shared/app-error';
import { assertId } from '../../shared/ids';
import type { User } from '../users/user.entity';
import { Notification } from './notification.entity';
import type { NotificationConnection } from './notification.types';

const MAX_PAGE = 200;

// Cursor = base64url("<created_at in microseconds since the epoch>|<id>"): exact keyset paging over
// (created_at desc, id desc); a JavaScript Date (milliseconds) would skip or repeat rows written in one millisecond.
const encode = (micros: string, id: string) => Buffer.from(`${micros}|${id}`).toString('base64url');
function decode(cursor: string): { micros: string; id: string } {
  const [micros, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!micros || !/^\d{1,17}$/.test(micros) || !id)
    throw badInput('after is not a valid cursor', [{ path: 'after', message: 'use pageInfo.endCursor' }]);
  return { micros, id: assertId(id, 'after') };
}

const MICROS = `(extract(epoch from created_at) * 1000000)::bigint::text`;
const AT_MICROS = `timestamptz 'epoch' + ?::bigint * interval '1 microsecond'`;

// The signed-in user's delivery log, newest first
export class NotificationLogService {
  async list(em: EntityManager, user: User, first = 50, after?: string): Promise<NotificationConnection> {
    if (first < 1 || first > MAX_PAGE)
      throw badInput(`first must be between 1 and ${MAX_PAGE}`, [{ path: 'first', message: `1..${MAX_PAGE}` }]);
    const params: unknown[] = [user.id];
    let where = 'user_id = ?';
    if (after) {
      const c = decode(after);
      where += ` and (created_at, id) < (${AT_MICROS}, ?::uuid)`;
      params.push(c.micros, c.id);
    }
    const keys = await query<{ id: string; micros: string }>(
      em,
      `select id, ${MICROS} as micros from notifications where ${where} order by created_at desc, id desc limit ?`,
      [...params, first + 1],
    );
    const [{ count }] = await query<{ count: string }>(
      em,
      'select count(*)::text as count from notifications where user_id = ?',
      [user.id],
    );
    const page = keys.slice(0, first);
    const rows = await em.find(Notification, { id: { $in: page.map((k) => k.id) } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const edges = page
      .filter((k) => byId.has(k.id))
      .map((k) => ({ cursor: encode(k.micros, k.id), node: byId.get(k.id)! }));
    return {
      edges,
      pageInfo: {
        hasNextPage: keys.length > first,
        endCursor: page.length ? encode(page[page.length - 1].micros, page[page.length - 1].id) : null,
      },
      totalCount: Number(count),
    };
  }
}
