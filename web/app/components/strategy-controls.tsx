import { Form } from "@remix-run/react";
import { ConfirmAction } from "./confirm-action";

type StrategyControlsProps = {
  name: string;
  enabled: boolean;
  disabledReason: string | null;
  busyIntent: string | null;
};

// Enable/disable and clone act at once; delete asks first.
export function StrategyControls({ name, enabled, disabledReason, busyIntent }: StrategyControlsProps) {
  return (
    <section className="card stack" aria-labelledby="controls-title">
      <h2 id="controls-title">Status</h2>
      <p>
        <span className={enabled ? "badge badge-ok" : "badge badge-muted"} data-testid="strategy-status">
          {enabled ? "Enabled" : "Disabled"}
        </span>{" "}
        {enabled ? "Alerts become orders." : "Alerts are recorded and rejected."}
      </p>
      {!enabled && disabledReason ? <p className="muted">Disabled by the platform: {disabledReason}</p> : null}
      <div className="button-row">
        <Form method="post">
          <input type="hidden" name="enabled" value={enabled ? "false" : "true"} />
          <button
            type="submit"
            name="intent"
            value="toggle"
            className="button button-secondary"
            disabled={busyIntent === "toggle"}
          >
            {enabled ? "Disable" : "Enable"}
          </button>
        </Form>
        <Form method="post">
          <button
            type="submit"
            name="intent"
            value="clone"
            className="button button-secondary"
            disabled={busyIntent === "clone"}
          >
            Clone
          </button>
        </Form>
      </div>
      <ConfirmAction
        label="Delete strategy"
        confirmLabel="Yes, delete it"
        intent="delete"
        tone="danger"
        busy={busyIntent === "delete"}
      >
        Delete “{name}”? Its webhook stops accepting alerts. Past executions stay in the history.
      </ConfirmAction>
    </section>
  );
}
