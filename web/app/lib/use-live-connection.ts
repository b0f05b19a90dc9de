import { useRevalidator } from "@remix-run/react";
import { useRef } from "react";
import type { LiveConnection } from "./live-connection.server";
import { useExecutionEvents, type LiveEvent, type LiveStatus } from "./use-execution-events";

type Options = { live: LiveConnection; strategyId?: string; onEvent(event: LiveEvent): void };

// executionEvents for a page whose loader hands out the access token (liveConnection()). The API closes an
// open socket when its token expires (4401) and refuses a stale token when connecting (4403): either way,
// reloading the loader data refreshes the token and the new connection goes out at once. Each (re)connect
// reloads the loader data too, since events sent while the socket was down are not replayed.
export function useLiveConnection({ live, strategyId, onEvent }: Options): { status: LiveStatus; revalidate(): void } {
  const revalidator = useRevalidator();
  const revalidateRef = useRef(revalidator.revalidate);
  revalidateRef.current = revalidator.revalidate;

  const status = useExecutionEvents({
    url: live.url,
    token: live.token,
    strategyId,
    onEvent,
    onConnected: () => revalidateRef.current(),
    onAuthRejected: () => revalidateRef.current(),
  });
  return { status, revalidate: () => revalidateRef.current() };
}
