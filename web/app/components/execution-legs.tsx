import { formatPrice, formatQty } from "../lib/money-format";

export type ExecutionLegRow = {
  leg: number;
  clientOrderId: string;
  brokerOrderId?: string | null;
  qty: string;
  status: string;
  filledQty: string;
  avgFillPrice?: string | null;
  lastError?: string | null;
};

// The broker orders of an execution above the exchange freeze limit (issue 18): one row per leg, as sent
export function ExecutionLegs({ legs }: { legs: ExecutionLegRow[] }) {
  if (legs.length === 0) return null;
  return (
    <section className="card stack" aria-labelledby="legs-title" data-testid="execution-legs">
      <h2 id="legs-title">Legs</h2>
      <p className="muted small">
        The quantity is above the exchange freeze limit, so it went to the broker as {legs.length} orders. The execution
        is filled when every leg is.
      </p>
      <div className="table-wrap">
        <table className="table table-cards">
          <thead>
            <tr>
              <th scope="col">Leg</th>
              <th scope="col" className="num">
                Qty
              </th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Filled
              </th>
              <th scope="col" className="num">
                Avg price
              </th>
              <th scope="col">Broker order id</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {legs.map((l) => (
              <tr key={l.leg}>
                <td data-label="Leg" className="card-title mono">
                  {l.leg}
                </td>
                <td data-label="Qty" className="num mono">
                  {formatQty(l.qty)}
                </td>
                <td data-label="Status">{l.status}</td>
                <td data-label="Filled" className="num mono">
                  {formatQty(l.filledQty)}
                </td>
                <td data-label="Avg price" className="num mono">
                  {formatPrice(l.avgFillPrice)}
                </td>
                <td data-label="Broker order id" className="mono">
                  {l.brokerOrderId ?? "—"}
                </td>
                <td data-label="Note">{l.lastError ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
