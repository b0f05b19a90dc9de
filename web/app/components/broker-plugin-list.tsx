import type { BrokerPageQuery } from "../graphql/generated/graphql";

type Plugin = BrokerPageQuery["brokers"][number];

const CAPABILITIES: Array<[keyof Omit<Plugin["capabilities"], "orderUpdates" | "__typename">, string]> = [
  ["placeOrder", "Place"],
  ["cancelOrder", "Cancel"],
  ["modifyOrder", "Modify"],
  ["positions", "Positions"],
  ["holdings", "Holdings"],
  ["funds", "Funds"],
  ["profile", "Profile"],
  ["searchInstruments", "Instruments"],
];

// The broker plugins this server loaded (the `brokers` query), with what each can do
export function BrokerPluginList({ plugins }: { plugins: Plugin[] }) {
  return (
    <section className="card stack" aria-labelledby="plugins-title">
      <h2 id="plugins-title">Broker plugins on this server</h2>
      <div className="table-wrap">
        <table className="table table-cards" data-testid="broker-plugins">
          <thead>
            <tr>
              <th scope="col">Broker</th>
              <th scope="col">Can</th>
              <th scope="col">Order updates</th>
              <th scope="col">Order types</th>
              <th scope="col">Segments</th>
            </tr>
          </thead>
          <tbody>
            {plugins.map((p) => (
              <tr key={p.name} data-plugin={p.name}>
                <td data-label="Broker" className="card-title">
                  {p.displayName}{" "}
                  <span className="muted small mono">
                    {p.name} {p.version}
                  </span>
                </td>
                <td data-label="Can" className="wrap card-wide">
                  {CAPABILITIES.filter(([key]) => p.capabilities[key]).map(([key, label]) => (
                    <span key={key} className="badge badge-info" style={{ marginRight: "0.25rem" }}>
                      {label}
                    </span>
                  ))}
                </td>
                <td data-label="Order updates">{p.capabilities.orderUpdates}</td>
                <td data-label="Order types" className="wrap small">
                  {p.features.orderTypes.join(", ")}
                </td>
                <td data-label="Segments" className="wrap small mono">
                  {p.features.segments.join(", ")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
