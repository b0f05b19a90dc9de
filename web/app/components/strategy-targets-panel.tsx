import { Form } from "@remix-run/react";
import type { StrategyTargetRowFragment, StrategyTargetsQuery } from "../graphql/generated/graphql";
import { accountOption } from "../lib/account-option";
import { AlertBanner } from "./alert-banner";
import { FormField } from "./form-field";

type Account = StrategyTargetsQuery["brokerAccounts"][number];
type StrategyTargetsPanelProps = {
  mode: string;
  targets: StrategyTargetRowFragment[];
  accounts: Account[];
  error: string | null;
  busyIntent: string | null;
};

// One strategy, many accounts: each alert is also traded on these accounts, one execution per account, with the
// account's own multiplier and limits. A failing account fails alone.
export function StrategyTargetsPanel({ mode, targets, accounts, error, busyIntent }: StrategyTargetsPanelProps) {
  // Each account once: several accounts at one broker (e.g. two Dhan accounts) are separate choices
  const used = new Set(targets.map((t) => (t.mode === "PAPER" ? "paper" : (t.brokerAccountId ?? t.broker))));
  const choices = accounts.filter((a) => !used.has(a.id));
  const label = (a: Account) => accountOption(a);
  const paperFree = mode !== "PAPER" && !used.has("paper");
  return (
    <section className="card stack" aria-labelledby="targets-title" data-testid="strategy-targets">
      <h2 id="targets-title">More accounts</h2>
      <p className="muted small">
        Every alert of this strategy is also traded on these accounts: quantity × multiplier, rounded down to whole lots
        or shares (0 pauses the account). Each account has its own execution, position, P&amp;L and limits; a refusal on
        one does not stop the others.
      </p>
      {targets.length ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col">Multiplier</th>
              <th scope="col">Limits</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {targets.map((t) => (
              <tr key={t.id} data-testid="strategy-target">
                <td>
                  {t.mode === "PAPER" ? "Paper (shadow)" : `${t.broker} · ${t.accountStatus ?? ""}`}
                  {t.mode !== "PAPER" && accounts.filter((a) => a.broker === t.broker).length > 1 ? (
                    <TargetAccountSelect target={t} accounts={accounts} label={label} busy={busyIntent} />
                  ) : null}
                  <div className="muted small">{t.name}</div>
                </td>
                <td>
                  <Form method="post" className="button-row">
                    <input type="hidden" name="targetId" value={t.id} />
                    <label className="visually-hidden" htmlFor={`multiplier-${t.id}`}>
                      Multiplier for {t.name}
                    </label>
                    <input
                      id={`multiplier-${t.id}`}
                      name="multiplier"
                      inputMode="decimal"
                      defaultValue={t.multiplier}
                      size={6}
                    />
                    <button
                      type="submit"
                      name="intent"
                      value="target-update"
                      className="button button-secondary"
                      disabled={busyIntent === "target-update"}
                    >
                      Save
                    </button>
                  </Form>
                </td>
                <td className="small">
                  {[
                    t.maxQtyPerOrder ? `≤ ${t.maxQtyPerOrder}/order` : null,
                    t.maxOpenPosition ? `≤ ${t.maxOpenPosition} open` : null,
                    t.maxDailyLoss ? `loss ≤ ₹${t.maxDailyLoss}/day` : null,
                  ]
                    .filter(Boolean)
                    .join(", ") || "—"}
                </td>
                <td>{t.enabled ? "Active" : `Paused${t.disabledReason ? `: ${t.disabledReason}` : ""}`}</td>
                <td>
                  <Form method="post">
                    <input type="hidden" name="targetId" value={t.id} />
                    <button
                      type="submit"
                      name="intent"
                      value="target-remove"
                      className="button button-secondary"
                      disabled={busyIntent === "target-remove"}
                    >
                      Remove
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">Only this strategy&apos;s own account.</p>
      )}
      {choices.length || paperFree ? (
        <Form method="post" className="stack" noValidate aria-label="Add an account">
          <div className="field-row">
            <FormField label="Account" name="targetAccount">
              {(a11y) => (
                <select {...a11y} name="targetAccount">
                  {choices.map((a) => (
                    <option key={a.id} value={a.id}>
                      {label(a)}
                    </option>
                  ))}
                  {paperFree ? <option value="paper">Paper (shadow)</option> : null}
                </select>
              )}
            </FormField>
            <FormField label="Multiplier" name="targetMultiplier" hint="Default 1">
              {(a11y) => <input {...a11y} name="targetMultiplier" inputMode="decimal" placeholder="1" />}
            </FormField>
            <FormField label="Max qty per order" name="targetMaxQty" hint="Optional">
              {(a11y) => <input {...a11y} name="targetMaxQty" inputMode="decimal" />}
            </FormField>
            <FormField label="Max daily loss (₹)" name="targetMaxLoss" hint="Optional">
              {(a11y) => <input {...a11y} name="targetMaxLoss" inputMode="decimal" />}
            </FormField>
          </div>
          <div>
            <button
              type="submit"
              name="intent"
              value="target-add"
              className="button button-secondary"
              disabled={busyIntent === "target-add"}
            >
              Add account
            </button>
          </div>
        </Form>
      ) : null}
      {error ? <AlertBanner tone="error">{error}</AlertBanner> : null}
    </section>
  );
}

// A LIVE target moves to another of the user's accounts at its broker (the API refuses while it holds a position)
function TargetAccountSelect({
  target,
  accounts,
  label,
  busy,
}: {
  target: StrategyTargetRowFragment;
  accounts: Account[];
  label: (a: Account) => string;
  busy: string | null;
}) {
  const same = accounts.filter((a) => a.broker === target.broker);
  return (
    <Form method="post" className="button-row">
      <input type="hidden" name="targetId" value={target.id} />
      <label className="visually-hidden" htmlFor={`account-${target.id}`}>
        Account for {target.name}
      </label>
      <select id={`account-${target.id}`} name="targetAccount" defaultValue={target.brokerAccountId ?? same[0]?.id}>
        {same.map((a) => (
          <option key={a.id} value={a.id}>
            {label(a)}
          </option>
        ))}
      </select>
      <button
        type="submit"
        name="intent"
        value="target-account"
        className="button button-secondary"
        disabled={busy === "target-account"}
      >
        Move
      </button>
    </Form>
  );
}
