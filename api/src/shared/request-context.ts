import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

// Carries the correlation id through every await of a request or an alert, so each log line can name it.
export type RequestContext = { correlationId: string; userId?: string };

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

export function newCorrelationId(): string {
  return randomUUID();
}

// For long-lived resources (pools, sockets, broker clients) made while serving one request: they must not carry
// its correlation id into every later log line of theirs (an idle connection's error, a shutdown)
export function outsideContext<T>(fn: () => T): T {
  return storage.exit(fn);
}
