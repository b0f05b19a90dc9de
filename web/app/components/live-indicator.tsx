import type { LiveStatus } from "../lib/use-execution-events";

// "Streaming" rather than "Live": LIVE elsewhere on the dashboard means real-money trading.
const TEXT: Record<LiveStatus, string> = {
  connecting: "Connecting…",
  live: "Streaming",
  offline: "Offline, reconnecting",
};
const TITLE: Record<LiveStatus, string> = {
  connecting: "Connecting to live updates",
  live: "Updates appear here as they happen",
  offline: "Updates paused; reconnecting",
};

// Whether the page is receiving updates as they happen right now.
export function LiveIndicator({ status }: { status: LiveStatus }) {
  return (
    <span
      className={`stream stream-${status}`}
      data-testid="live-status"
      data-status={status}
      role="status"
      title={TITLE[status]}
    >
      <span className="stream-dot" aria-hidden="true" />
      {TEXT[status]}
    </span>
  );
}
