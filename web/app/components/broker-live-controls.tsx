import { Form } from "@remix-run/react";
import type { BrokerAccountStateFragment, BrokerPnlExitQuery } from "../graphql/generated/graphql";
import { formatIst } from "../lib/ist-time";
import { formatInr } from "../lib/money-format";
import { AlertBanner } from "./alert-banner";
import { FormField } from "./form-field";

type PnlExit = BrokerPnlExitQuery["brokerPnlExit"];
type Props = {
  account: BrokerAccountStateFragment;
  displayName: string;
  pnlExit: PnlExit | null;
  fieldErrors: Record<string, string>;
  message: string | null;
  busy: (intent: string) => boolean;
};

const VIA: Record<string, string> = {
  web: "pasted by you",
  renew: "renewed by AlgoDatta",
  login: "automatic PIN + TOTP login",
};

// Keeping a live account trading: token renewal and the opt-in automatic login, the broker's kill switch and its
// daily P&L exit
export function BrokerLiveControls({ account, displayName, pnlExit, fieldErrors, message, busy }: Props) {
  const broker = account.broker;
  // Several accounts at one broker repeat these controls: each block is headed by its account, and every control's
  // name says which account it is for (heard, not shown), so "Trading PIN" is never ambiguous
  const accountName = account.label ?? `${displayName} account`;
  const scope = account.id;
  const hidden = (text: string) => <span className="visually-hidden"> ({text})</span>;
  return (
    <section
      className="card stack"
      aria-labelledby={`live-controls-${scope}`}
      data-testid={`broker-live-controls-${broker}`}
    >
      <h2 id={`live-controls-${scope}`} data-testid="live-controls-title">
        Session and safety at {displayName}
        {account.label ? ` · ${account.label}` : ""}
      </h2>
      {message ? <AlertBanner tone="error">{message}</AlertBanner> : null}
      <dl className="details">
        <dt>Token</dt>
        <dd data-testid="token-via">
          {account.tokenVia ? (VIA[account.tokenVia] ?? account.tokenVia) : "—"}
          {account.tokenExpiresAt ? `, expires ${formatIst(account.tokenExpiresAt)}` : ""}
        </dd>
        <dt>Last renewal</dt>
        <dd>{account.sessionRenewedAt ? formatIst(account.sessionRenewedAt) : "—"}</dd>
      </dl>
      <p className="muted small">
        A token you pasted from {displayName} is renewed automatically a few hours before it expires. If that fails you
        are notified at once, and again 2 hours before and at expiry.
      </p>

      <h3>Automatic daily login</h3>
      {account.autoLogin ? (
        <Form method="post" className="stack">
          <input type="hidden" name="broker" value={broker} />
          <input type="hidden" name="accountId" value={account.id} />
          <p data-testid="auto-login-on">
            On: when the token cannot be renewed, AlgoDatta logs in with your PIN and TOTP secret.
          </p>
          <div>
            <button
              type="submit"
              name="intent"
              value="auto_login_off"
              className="button button-secondary"
              disabled={busy("auto_login_off")}
            >
              Turn off and forget the PIN and secret
              {hidden(accountName)}
            </button>
          </div>
        </Form>
      ) : (
        <Form method="post" className="stack form-narrow" noValidate autoComplete="off">
          <input type="hidden" name="broker" value={broker} />
          <input type="hidden" name="accountId" value={account.id} />
          <AlertBanner tone="warning" testId="auto-login-warning">
            With your PIN and TOTP secret stored, this server can log in to your {displayName} account every day without
            you. Anyone who gets hold of the server and its encryption key could do the same and trade your money. They
            are stored encrypted and never shown again. Leave this off unless you run AlgoDatta yourself on a machine
            you trust.
          </AlertBanner>
          <FormField label="Trading PIN" name="pin" error={fieldErrors.pin} context={accountName} idScope={scope}>
            {(a11y) => <input {...a11y} name="pin" type="password" inputMode="numeric" autoComplete="off" />}
          </FormField>
          <FormField
            label="TOTP secret"
            name="totpSecret"
            error={fieldErrors.totpSecret}
            context={accountName}
            idScope={scope}
            hint="The secret shown when you enabled TOTP at the broker, not a 6-digit code."
          >
            {(a11y) => <input {...a11y} name="totpSecret" type="password" autoComplete="off" spellCheck={false} />}
          </FormField>
          <label className="check">
            <input type="checkbox" name="understood" /> I understand the risk{hidden(accountName)}
          </label>
          {fieldErrors.understood ? <p className="field-error">{fieldErrors.understood}</p> : null}
          <div>
            <button
              type="submit"
              name="intent"
              value="auto_login_on"
              className="button button-secondary"
              disabled={busy("auto_login_on")}
            >
              Turn on automatic login
              {hidden(accountName)}
            </button>
          </div>
        </Form>
      )}

      <h3>Broker kill switch</h3>
      <Form method="post" className="stack">
        <input type="hidden" name="broker" value={broker} />
        <input type="hidden" name="accountId" value={account.id} />
        <input type="hidden" name="enabled" value={account.brokerKillSwitch ? "false" : "true"} />
        <p data-testid="kill-switch-link">
          {account.brokerKillSwitch
            ? `On: when an administrator turns the platform kill switch on, ${displayName}'s own kill switch is activated too (no orders for the rest of the day, also from other apps).`
            : `Off: the platform kill switch only stops AlgoDatta's orders.`}
        </p>
        <div>
          <button
            type="submit"
            name="intent"
            value="kill_switch_link"
            className="button button-secondary"
            disabled={busy("kill_switch_link")}
          >
            {account.brokerKillSwitch
              ? "Stop activating the broker kill switch"
              : `Also activate ${displayName}'s kill switch`}
            {hidden(accountName)}
          </button>
        </div>
      </Form>

      <h3>Daily P&amp;L exit</h3>
      {pnlExit?.active ? (
        <Form method="post" className="stack" data-testid="pnl-exit-active">
          <input type="hidden" name="broker" value={broker} />
          <input type="hidden" name="accountId" value={account.id} />
          <p>
            Active today: exit {pnlExit.products.join(", ")} at{" "}
            {pnlExit.profit ? `a profit of ${formatInr(pnlExit.profit)}` : ""}
            {pnlExit.profit && pnlExit.loss ? " or " : ""}
            {pnlExit.loss ? `a loss of ${formatInr(pnlExit.loss)}` : ""}
            {pnlExit.killSwitch ? ", then activate the kill switch" : ""}.
          </p>
          <div>
            <button
              type="submit"
              name="intent"
              value="pnl_exit_stop"
              className="button button-danger-outline"
              disabled={busy("pnl_exit_stop")}
            >
              Stop the P&amp;L exit
              {hidden(accountName)}
            </button>
          </div>
        </Form>
      ) : null}
      <Form method="post" className="stack form-narrow" noValidate>
        <input type="hidden" name="broker" value={broker} />
        <input type="hidden" name="accountId" value={account.id} />
        <p className="muted small">
          {displayName} exits every position of the chosen products once today&apos;s P&amp;L reaches the profit or the
          loss. It lasts for today.
        </p>
        <FormField label="Profit (₹)" name="profit" error={fieldErrors.profit} context={accountName} idScope={scope}>
          {(a11y) => <input {...a11y} name="profit" inputMode="decimal" />}
        </FormField>
        <FormField label="Loss (₹)" name="loss" error={fieldErrors.loss} context={accountName} idScope={scope}>
          {(a11y) => <input {...a11y} name="loss" inputMode="decimal" />}
        </FormField>
        <fieldset className="field">
          <legend>Products{hidden(accountName)}</legend>
          <label className="check">
            <input type="checkbox" name="products" value="INTRADAY" defaultChecked /> Intraday{hidden(accountName)}
          </label>
          <label className="check">
            <input type="checkbox" name="products" value="CNC" /> Delivery (CNC){hidden(accountName)}
          </label>
          {fieldErrors.products ? <p className="field-error">{fieldErrors.products}</p> : null}
        </fieldset>
        <label className="check">
          <input type="checkbox" name="killSwitch" /> Activate the kill switch after the exit{hidden(accountName)}
        </label>
        <div>
          <button
            type="submit"
            name="intent"
            value="pnl_exit_set"
            className="button button-secondary"
            disabled={busy("pnl_exit_set")}
          >
            {pnlExit?.active ? "Replace the P&L exit" : "Set the P&L exit"}
            {hidden(accountName)}
          </button>
        </div>
      </Form>
    </section>
  );
}
