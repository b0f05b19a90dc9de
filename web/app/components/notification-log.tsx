import type { NotificationsPageQuery } from "../graphql/generated/graphql";
import { formatIst } from "../lib/ist-time";
import { eventLabel } from "../lib/notification-events";

type Entry = NotificationsPageQuery["notifications"]["edges"][number]["node"];
type LogProps = { entries: Entry[]; channels: Record<string, string> };

const STATUS_TONES: Record<string, string> = { SENT: "badge-ok", PENDING: "badge-info", FAILED: "badge-danger" };

// What was sent where, newest first: status, attempts, the last error, and the text as sent
export function NotificationLog({ entries, channels }: LogProps) {
  return (
    <div className="table-wrap">
      <table className="table table-cards" data-testid="notification-log">
        <thead>
          <tr>
            <th scope="col">Time (IST)</th>
            <th scope="col">Event</th>
            <th scope="col">Channel</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Attempts
            </th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((n) => (
            <tr key={n.id} data-notification-id={n.id} data-event={n.event}>
              <td data-label="Time (IST)" className="card-title">
                {formatIst(n.createdAt)}
              </td>
              <td data-label="Event" className="card-key">
                {eventLabel(n.event)}
              </td>
              <td data-label="Channel">
                {n.channelId ? (channels[n.channelId] ?? "—") : <span className="muted">removed</span>}
              </td>
              <td data-label="Status" className="card-key" data-testid="notification-status">
                <span className={`badge ${STATUS_TONES[n.status] ?? ""}`}>{n.status}</span>
                {n.sentAt ? <span className="cell-note">sent {formatIst(n.sentAt)}</span> : null}
                {n.lastError ? <span className="cell-note error">{n.lastError}</span> : null}
              </td>
              <td data-label="Attempts" className="num mono">
                {n.attempts}
              </td>
              <td data-label="Message" className="wrap card-wide">
                <details>
                  <summary>{n.subject}</summary>
                  <p className="log-text">{n.text}</p>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
