import type { LiveStatus } from "../lib/use-execution-events";

const TEXT: Record<LiveStatus, string> = { connecting: "Connecting…", live: "Live", offline: "Offline, reconnecting" };

// Whether the table is receiving live updates right now.
export function LiveIndicator({ status }: { status: LiveStatus }) {
  return (
    <span className={`live live-${status}`} data-testid="live-status" data-status={status} role="status">
      <span className="live-dot" aria-hidden="true" />
      {TEXT[status]}
    </span>
  );
}
