// Things built once per GraphQL request (DataLoaders), kept with the request's context object and gone with it.
const store = new WeakMap<object, Map<string, unknown>>();

export function perRequest<T>(context: object, key: string, create: () => T): T {
  let values = store.get(context);
  if (!values) store.set(context, (values = new Map()));
  if (!values.has(key)) values.set(key, create());
  return values.get(key) as T;
}
