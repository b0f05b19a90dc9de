// knex spreads a JavaScript array bound to `?` into a list; `= any(?::uuid[])` needs one array literal instead
export const uuidArray = (ids: readonly string[]): string => `{${ids.join(',')}}`;
