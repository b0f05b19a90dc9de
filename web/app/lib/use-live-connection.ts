import { useRevalidator } from "@remix-run/react";
import { useRef } from "react";
import type { LiveConnection } from "./live-connection.server";
import { useExecutionEvents, type LiveEvent, type LiveStatus } from "./use-execution-events";

type Options = { live: LiveConnection; strategyId?: string; onEvent(event: LiveEvent): void };

// executionEvents for a page whose loader hands out the access token (liveConnection()). An open socket
// stays authorised after its token expires, so the token only matters when (re)connecting: if the API
// refuses it (4403), reloading the loader data refreshes it and the retry goes out at once. Each
// (re)connect reloads the loader data too, since events sent while the socket was down are not replayed.
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
