import type { BrokerAccountDetailsQuery, BrokerAccountStateFragment } from "../graphql/generated/graphql";
import { pnlClass } from "../lib/decimal-display";
import { formatIst } from "../lib/ist-time";
import { formatInr, formatPrice, formatQty } from "../lib/money-format";
import { tokenState } from "../lib/token-expiry";
import { AlertBanner } from "./alert-banner";
import { ConfirmAction } from "./confirm-action";

type Details = NonNullable<BrokerAccountDetailsQuery["brokerAccountDetails"]>;
type BrokerAccountViewProps = {
  account: BrokerAccountStateFragment;
  displayName: string;
  details: Details | null;
  now: string;
  busy: boolean;
};

const BADGE: Record<string, string> = {
  ok: "badge badge-ok",
  warning: "badge badge-warn",
  error: "badge badge-danger",
  muted: "badge",
};

// The account as we store it (status, token expiry) and as the broker reports it now (profile, funds, holdings, positions)
export function BrokerAccountView({ account, displayName, details, now, busy }: BrokerAccountViewProps) {
  const state = tokenState(details?.account ?? account, now);
  return (
    <>
      <section
        className="card stack"
        aria-labelledby={`account-${account.id}`}
        data-testid={`broker-account-${account.broker}`}
        data-account-id={account.id}
      >
        <div className="card-head">
          <h2 id={`account-${account.id}`} data-testid="broker-account-title">
            {displayName} account{account.label ? ` · ${account.label}` : ""}
          </h2>
          <span className={BADGE[state.tone]} data-testid="broker-status">
            {state.label}
          </span>
        </div>
        {state.tone === "warning" || state.tone === "error" ? (
          <AlertBanner tone={state.tone} testId="token-warning">
            {state.detail}
          </AlertBanner>
        ) : (
          <p className="muted" data-testid="token-expiry">
            {state.detail}
          </p>
        )}
        <dl className="details">
          <dt>Client id</dt>
          <dd className="mono">{account.clientIdMasked}</dd>
          <dt>Connected</dt>
          <dd>{formatIst(account.connectedAt)}</dd>
          {details?.profile?.name ? (
            <>
              <dt>Name</dt>
              <dd>{details.profile.name}</dd>
            </>
          ) : null}
          {details?.profile?.segments.length ? (
            <>
              <dt>Segments</dt>
              <dd className="mono small">{details.profile.segments.join(", ")}</dd>
            </>
          ) : null}
          {account.lastError ? (
            <>
              <dt>Last error</dt>
              <dd className="small">{account.lastError}</dd>
            </>
          ) : null}
        </dl>
        {account.status !== "DISCONNECTED" ? (
          <ConfirmAction
            label="Disconnect"
            confirmLabel={`Yes, disconnect ${displayName}`}
            intent="disconnect"
            fields={{ broker: account.broker, accountId: account.id }}
            tone="danger"
            busy={busy}
          >
            The stored access token is deleted. Live orders of strategies on {displayName} are rejected
            (broker_not_connected) until you connect again; paper strategies are not affected.
          </ConfirmAction>
        ) : null}
      </section>
      {details ? <BrokerReadout details={details} scope={account.id} accountLabel={account.label ?? null} /> : null}
    </>
  );
}

function BrokerReadout({
  details,
  scope,
  accountLabel,
}: {
  details: Details;
  scope: string;
  accountLabel: string | null;
}) {
  // A labelled (second, third...) account names itself in each heading: the page repeats them per account
  const of = accountLabel ? ` · ${accountLabel}` : "";
  const problems = details.problems.filter((p) => p.code !== "NOT_SUPPORTED" && p.part !== "account");
  return (
    <>
      {problems.map((p) => (
        <AlertBanner key={p.part} tone="error" testId={`broker-problem-${p.part}`}>
          <strong>Could not read {p.part}.</strong> {p.message}
        </AlertBanner>
      ))}
      {details.funds ? (
        <section className="kpis" aria-label={`Funds${of}`} data-testid="broker-funds">
          <Kpi title="Available" value={formatInr(details.funds.available)} />
          <Kpi title="Used margin" value={formatInr(details.funds.used)} />
          <Kpi title="Total" value={formatInr(details.funds.total)} />
        </section>
      ) : null}
      {details.positions ? (
        <section className="card stack" aria-labelledby={`broker-positions-${scope}`}>
          <h2 id={`broker-positions-${scope}`}>Positions at the broker{of}</h2>
          <p className="muted small">Everything the account holds today, including orders placed outside AlgoDatta.</p>
          {details.positions.length === 0 ? (
            <p className="empty">No open positions at the broker today.</p>
          ) : (
            <div className="table-wrap">
              <table className="table table-cards" data-testid="broker-positions-table">
                <thead>
                  <tr>
                    <th scope="col">Symbol</th>
                    <th scope="col">Segment</th>
                    <th scope="col">Product</th>
                    <th scope="col" className="num">
                      Net qty
                    </th>
                    <th scope="col" className="num">
                      Avg price
                    </th>
                    <th scope="col" className="num">
                      Last price
                    </th>
                    <th scope="col" className="num">
                      Realized
                    </th>
                    <th scope="col" className="num">
                      Unrealized
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {details.positions.map((p, i) => (
                    <tr key={`${p.exchangeSegment}:${p.securityId ?? p.symbol}:${p.product}:${i}`}>
                      <td data-label="Symbol" className="card-title mono">
                        {p.symbol}
                      </td>
                      <td data-label="Segment" className="mono">
                        {p.exchangeSegment}
                      </td>
                      <td data-label="Product">{p.product}</td>
                      <td data-label="Net qty" className="num mono card-key">
                        {formatQty(p.netQuantity)}
                      </td>
                      <td data-label="Avg price" className="num mono">
                        {formatPrice(p.averagePrice)}
                      </td>
                      <td data-label="Last price" className="num mono">
                        {formatPrice(p.lastPrice)}
                      </td>
                      <td data-label="Realized" className={`num mono card-key ${pnlClass(p.realizedPnl)}`}>
                        {formatInr(p.realizedPnl, { signed: true })}
                      </td>
                      <td data-label="Unrealized" className={`num mono card-key ${pnlClass(p.unrealizedPnl)}`}>
                        {formatInr(p.unrealizedPnl, { signed: true })}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : null}
      {details.holdings ? (
        <section className="card stack" aria-labelledby={`broker-holdings-${scope}`}>
          <h2 id={`broker-holdings-${scope}`}>Holdings{of}</h2>
          {details.holdings.length === 0 ? (
            <p className="empty">No delivery holdings.</p>
          ) : (
            <div className="table-wrap">
              <table className="table table-cards" data-testid="broker-holdings-table">
                <thead>
                  <tr>
                    <th scope="col">Symbol</th>
                    <th scope="col">Segment</th>
                    <th scope="col" className="num">
                      Qty
                    </th>
                    <th scope="col" className="num">
                      Avg cost
                    </th>
                    <th scope="col" className="num">
                      Last price
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {details.holdings.map((h, i) => (
                    <tr key={`${h.exchangeSegment}:${h.securityId ?? h.symbol}:${i}`}>
                      <td data-label="Symbol" className="card-title mono">
                        {h.symbol}
                      </td>
                      <td data-label="Segment" className="mono">
                        {h.exchangeSegment}
                      </td>
                      <td data-label="Qty" className="num mono card-key">
                        {formatQty(h.quantity)}
                      </td>
                      <td data-label="Avg cost" className="num mono card-key">
                        {formatPrice(h.averagePrice)}
                      </td>
                      <td data-label="Last price" className="num mono card-key">
                        {formatPrice(h.lastPrice)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : null}
    </>
  );
}

function Kpi({ title, value }: { title: string; value: string }) {
  return (
    <div className="card kpi">
      <h2>{title}</h2>
      <span className="kpi-value">{value}</span>
    </div>
  );
}
