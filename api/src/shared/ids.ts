import { badInput } from './app-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

// Ids are uuids; a malformed one is a client mistake, not a database error.
export function assertId(id: string, field = 'id'): string {
  if (!UUID.test(id)) throw badInput(`${field} must be a valid id`, [{ path: field, message: 'must be a UUID' }]);
  return id.toLowerCase();
}
