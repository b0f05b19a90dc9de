import { print } from "graphql";
import { createClient } from "graphql-ws";
import { useEffect, useRef, useState } from "react";
import { ExecutionEventsDocument, type ExecutionEventsSubscription } from "../graphql/generated/graphql";

export type LiveStatus = "connecting" | "live" | "offline";
export type LiveEvent = ExecutionEventsSubscription["executionEvents"];

type Options = {
  url: string;
  token: string;
  strategyId?: string;
  onEvent(event: LiveEvent): void;
  /** After every (re)connect: catch up on what happened while the socket was down. */
  onConnected(): void;
  /** The API refused the token (4403): fetch a fresh one (the next retry reads it). */
  onAuthRejected(): void;
};

const FORBIDDEN = 4403;
const QUERY = print(ExecutionEventsDocument);

// Browser-only graphql-ws subscription to `executionEvents`, straight to the API. The token is read at each
// connection attempt, so a token renewed by the loader is used by the next reconnect without a new client.
export function useExecutionEvents({ url, token, strategyId, ...handlers }: Options): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const tokenRef = useRef(token);
  const handlersRef = useRef(handlers);
  tokenRef.current = token;
  handlersRef.current = handlers;

  useEffect(() => {
    const client = createClient({
      url,
      lazy: false,
      keepAlive: 20_000,
      connectionParams: () => ({ authorization: `Bearer ${tokenRef.current}` }),
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      // 1 s, 2 s, 4 s … capped at 30 s, with jitter so many tabs do not reconnect in step.
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1000 * 2 ** retries) + Math.random() * 500)),
      on: {
        connecting: () => setStatus("connecting"),
        connected: () => {
          setStatus("live");
          handlersRef.current.onConnected();
        },
        closed: (event) => {
          setStatus("offline");
          if ((event as { code?: number }).code === FORBIDDEN) handlersRef.current.onAuthRejected();
        },
      },
    });
    const unsubscribe = client.subscribe<ExecutionEventsSubscription>(
      { query: QUERY, variables: { strategyId: strategyId || null } },
      {
        next: (result) => {
          if (result.data) handlersRef.current.onEvent(result.data.executionEvents);
        },
        error: () => setStatus("offline"),
        complete: () => {},
      },
    );
    return () => {
      unsubscribe();
      void client.dispose();
    };
  }, [url, strategyId]);

  return status;
}
