import { ConfirmAction } from "./confirm-action";

type KillSwitchPanelProps = { enabled: boolean; busy: boolean };

// The global kill switch: on, every new alert is rejected (kill_switch) and open orders are cancelled.
export function KillSwitchPanel({ enabled, busy }: KillSwitchPanelProps) {
  return (
    <section className={enabled ? "card stack kill-on" : "card stack"} aria-labelledby="kill-title">
      <h2 id="kill-title">Kill switch</h2>
      <p data-testid="kill-switch-state">
        {enabled ? (
          <>
            <span className="badge badge-danger">ON</span> Trading is halted: new alerts are rejected.
          </>
        ) : (
          <>
            <span className="badge badge-ok">OFF</span> Trading runs normally.
          </>
        )}
      </p>
      {enabled ? (
        <ConfirmAction
          label="Turn kill switch off"
          confirmLabel="Yes, resume trading"
          intent="kill-switch"
          fields={{ enabled: "false" }}
          busy={busy}
        >
          Alerts become orders again for every user, from the next alert on. Orders cancelled while it was on are not
          restored.
        </ConfirmAction>
      ) : (
        <ConfirmAction
          label="Turn kill switch on"
          confirmLabel="Yes, halt all trading"
          intent="kill-switch"
          fields={{ enabled: "true" }}
          tone="danger"
          busy={busy}
        >
          Every user&apos;s new alerts will be rejected and all open orders cancelled at the brokers, until an admin
          turns it off.
        </ConfirmAction>
      )}
    </section>
  );
}
