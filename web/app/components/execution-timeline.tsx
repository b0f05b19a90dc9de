import type { ExecutionDetailQuery } from "../graphql/generated/graphql";
import { formatIst, formatIstClock } from "../lib/ist-time";

type Event = NonNullable<ExecutionDetailQuery["execution"]>["events"][number];

const LABELS: Record<string, string> = {
  ALERT_RECEIVED: "Alert received",
  ORDER_PLACED: "Order placed",
  ORDER_FILLED: "Order filled",
  ORDER_REJECTED: "Order rejected",
  ORDER_CANCELLED: "Order cancelled",
  ERROR: "Error",
  AWAITING_APPROVAL: "Awaiting approval",
  APPROVED: "Approved",
  EXIT_PLAN: "Exit plan",
};

// The order's life in event order, with each event's payload folded away.
export function ExecutionTimeline({ events }: { events: Event[] }) {
  if (events.length === 0) return <p className="empty">No events yet.</p>;
  return (
    <ol className="timeline" data-testid="execution-timeline">
      {events.map((e) => (
        <li key={e.id} className={`timeline-item timeline-${e.type.toLowerCase()}`} data-event-type={e.type}>
          <div className="timeline-head">
            <strong>{LABELS[e.type] ?? e.type}</strong> <span className="mono muted">{e.type}</span>
            <time dateTime={e.at} title={formatIst(e.at)} className="mono">
              {formatIstClock(e.at)} IST
            </time>
          </div>
          {e.payload !== null && e.payload !== undefined ? (
            <details>
              <summary>Payload</summary>
              <pre className="code-block">{JSON.stringify(e.payload, null, 2)}</pre>
            </details>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
