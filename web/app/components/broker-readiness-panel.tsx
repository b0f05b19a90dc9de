import type { BrokerReadinessQuery } from "../graphql/generated/graphql";
import { formatIst } from "../lib/ist-time";

type Readiness = BrokerReadinessQuery["brokerReadiness"][number];

const LABEL: Record<string, string> = {
  token: "Access token lasts the session",
  static_ip: "Server IP is your registered static IP",
  instruments: "Instrument list loaded today",
  trading_day: "Today is a trading day",
};
const mark = (ok: boolean | null | undefined) =>
  ok === true
    ? { cls: "badge badge-ok", text: "OK" }
    : ok === false
      ? { cls: "badge badge-danger", text: "Failed" }
      : { cls: "badge", text: "Unknown" };

// The pre-open checks of an account used by enabled LIVE strategies; a failed one refuses their alerts (broker_not_ready)
// accountId/accountLabel: with several accounts at one broker, each panel has its own id and names its account
export function BrokerReadinessPanel({
  readiness,
  accountId,
  accountLabel,
}: {
  readiness: Readiness;
  accountId?: string;
  accountLabel?: string | null;
}) {
  const headingId = `readiness-${accountId ?? readiness.broker}`;
  return (
    <section className="card stack" aria-labelledby={headingId} data-testid={`broker-readiness-${readiness.broker}`}>
      <div className="card-head">
        <h2 id={headingId}>Ready to trade live today?{accountLabel ? ` · ${accountLabel}` : ""}</h2>
        <span className={readiness.ready ? "badge badge-ok" : "badge badge-danger"} data-testid="readiness-state">
          {readiness.ready ? "Ready" : "Not ready"}
        </span>
      </div>
      <p className="muted small">
        Checked {formatIst(readiness.checkedAt)} for {readiness.segments.join(", ")}. While a check fails, alerts of
        your live strategies on this account are refused (broker_not_ready) instead of failing at the broker. The same
        checks run before the market opens and notify you.
      </p>
      <dl className="details">
        {readiness.items.map((item) => {
          const m = mark(item.ok);
          return (
            <div key={item.check} style={{ display: "contents" }} data-testid={`readiness-${item.check}`}>
              <dt>
                <span className={m.cls}>{m.text}</span> {LABEL[item.check] ?? item.check}
              </dt>
              <dd className="small">{item.message}</dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}
