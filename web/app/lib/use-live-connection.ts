import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type { LiveConnection } from "./live-connection.server";
import { useExecutionEvents, type LiveEvent, type LiveStatus } from "./use-execution-events";

type Options = { live: LiveConnection; strategyId?: string; onEvent(event: LiveEvent): void };

const RENEW_BEFORE_EXPIRY_MS = 30_000;

// executionEvents for a page whose loader hands out the access token (liveConnection()). Reloading the
// loader data is how the page gets a fresh token: shortly before expiry, and whenever the API refuses one.
// Each (re)connect reloads it too, since events sent while the socket was down are not replayed.
export function useLiveConnection({ live, strategyId, onEvent }: Options): { status: LiveStatus; revalidate(): void } {
  const revalidator = useRevalidator();
  const revalidateRef = useRef(revalidator.revalidate);
  revalidateRef.current = revalidator.revalidate;

  useEffect(() => {
    if (!live.expiresAt) return;
    const wait = Math.max(5_000, live.expiresAt - Date.now() - RENEW_BEFORE_EXPIRY_MS);
    const timer = window.setTimeout(() => revalidateRef.current(), wait);
    return () => window.clearTimeout(timer);
  }, [live.expiresAt, live.token]);

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
