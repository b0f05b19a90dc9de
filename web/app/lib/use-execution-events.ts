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
// Sent when the token expires (or the API key is revoked) while connected; graphql-ws's client treats it as the
// end of the client, so a new one is started with a fresh token
const UNAUTHORIZED = 4401;
const QUERY = print(ExecutionEventsDocument);

// Browser-only graphql-ws subscription to `executionEvents`, straight to the API. The token is read at each
// connection attempt, so a token renewed by the loader is used by the next reconnect without a new client.
export function useExecutionEvents({ url, token, strategyId, ...handlers }: Options): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const [generation, setGeneration] = useState(0);
  const tokenRef = useRef(token);
  const handlersRef = useRef(handlers);
  tokenRef.current = token;
  handlersRef.current = handlers;

  useEffect(() => {
    let sentToken = "";
    let rejectedToken: string | null = null;
    const client = createClient({
      url,
      lazy: false,
      keepAlive: 20_000,
      connectionParams: () => {
        sentToken = tokenRef.current;
        return { authorization: `Bearer ${sentToken}` };
      },
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      retryWait: async (retries) => {
        // Refused token: retry as soon as the loader has handed out a new one (a backoff longer than
        // the token's lifetime would never get in).
        if (rejectedToken !== null) {
          const refused = rejectedToken;
          rejectedToken = null;
          if (await tokenChanged(() => tokenRef.current !== refused, 10_000)) return;
        }
        // 0.5 s, 1 s, 2 s, 4 s, then every 5 s, with jitter so many tabs do not reconnect in step.
        await sleep(Math.min(5_000, 500 * 2 ** retries) + Math.random() * 500);
      },
      on: {
        connecting: () => setStatus("connecting"),
        connected: () => {
          setStatus("live");
          handlersRef.current.onConnected();
        },
        closed: (event) => {
          setStatus("offline");
          if ((event as { code?: number }).code === FORBIDDEN) {
            rejectedToken = sentToken;
            handlersRef.current.onAuthRejected();
          }
        },
      },
    });
    const unsubscribe = client.subscribe<ExecutionEventsSubscription>(
      { query: QUERY, variables: { strategyId: strategyId || null } },
      {
        next: (result) => {
          if (result.data) handlersRef.current.onEvent(result.data.executionEvents);
        },
        error: (error) => {
          setStatus("offline");
          if ((error as { code?: number } | null)?.code !== UNAUTHORIZED) return;
          const expired = sentToken;
          handlersRef.current.onAuthRejected();
          void tokenChanged(() => tokenRef.current !== expired, 10_000).then(() => setGeneration((g) => g + 1));
        },
        complete: () => {},
      },
    );
    return () => {
      unsubscribe();
      void client.dispose();
    };
  }, [url, strategyId, generation]);

  return status;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function tokenChanged(changed: () => boolean, timeoutMs: number): Promise<boolean> {
  for (let waited = 0; waited < timeoutMs; waited += 100) {
    if (changed()) return true;
    await sleep(100);
  }
  return changed();
}
