import { QUANTITY_RULE_SUMMARY } from "@algodatta/broker-sdk/src/quantity-rule";
import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { MODES, TIMEFRAMES, type StrategyFormValues } from "../lib/strategy-form.validate";
import { accountOption } from "../lib/account-option";
import { EXCHANGE_SEGMENTS } from "../lib/strategy-segments";
import { AlertBanner } from "./alert-banner";
import { FormField } from "./form-field";

type StrategyFormProps = {
  values?: Partial<StrategyFormValues>;
  fieldErrors?: Partial<Record<keyof StrategyFormValues, string>>;
  message?: string | null;
  /** The user's broker accounts: a LIVE strategy may pick one when a broker has several */
  accounts?: Account[];
};
type Account = { id: string; broker: string; label?: string | null; clientIdMasked?: string | null; status: string };

export function StrategyForm({ values, fieldErrors, message, accounts = [] }: StrategyFormProps) {
  const navigation = useNavigation();
  const [mode, setMode] = useState(values?.mode ?? "PAPER");
  // Only brokers where the user has more than one account need a choice; elsewhere the default account trades
  const choosable = accounts.filter((a) => accounts.filter((b) => b.broker === a.broker).length > 1);
  const busy = navigation.state !== "idle" && navigation.formAction === "/strategies";
  return (
    <Form method="post" className="stack form-narrow" noValidate aria-labelledby="new-strategy-title">
      <h2 id="new-strategy-title">New strategy</h2>
      {message ? <AlertBanner tone="error">{message}</AlertBanner> : null}
      <FormField label="Name" name="name" error={fieldErrors?.name}>
        {(a11y) => (
          <input {...a11y} name="name" defaultValue={values?.name} placeholder="Gas breakout" maxLength={120} />
        )}
      </FormField>
      <FormField label="Symbol" name="symbol" error={fieldErrors?.symbol} hint="As on the exchange, e.g. NATURALGAS.">
        {(a11y) => (
          <input {...a11y} name="symbol" defaultValue={values?.symbol} placeholder="NATURALGAS" className="upper" />
        )}
      </FormField>
      <div className="field-row">
        <FormField label="Timeframe" name="timeframe" error={fieldErrors?.timeframe}>
          {(a11y) => (
            <select {...a11y} name="timeframe" defaultValue={values?.timeframe ?? "5m"}>
              {TIMEFRAMES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label="Exchange segment" name="exchangeSegment" error={fieldErrors?.exchangeSegment}>
          {(a11y) => (
            <select {...a11y} name="exchangeSegment" defaultValue={values?.exchangeSegment ?? "NSE_EQ"}>
              {EXCHANGE_SEGMENTS.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          )}
        </FormField>
      </div>
      <FormField label="Quantity" name="qty" error={fieldErrors?.qty} hint={`${QUANTITY_RULE_SUMMARY}.`}>
        {(a11y) => <input {...a11y} name="qty" inputMode="numeric" defaultValue={values?.qty ?? "1"} />}
      </FormField>
      <fieldset className={fieldErrors?.mode ? "field field-invalid" : "field"}>
        <legend>Mode</legend>
        <div className="radio-row">
          {MODES.map((m) => (
            <label key={m} className="radio">
              <input
                type="radio"
                name="mode"
                value={m}
                defaultChecked={(values?.mode ?? "PAPER") === m}
                onChange={() => setMode(m)}
              />
              {m === "PAPER" ? "Paper (simulated fills)" : "Live (real orders)"}
            </label>
          ))}
        </div>
        {fieldErrors?.mode ? (
          <p className="field-error" role="alert" data-field-error="mode">
            {fieldErrors.mode}
          </p>
        ) : null}
      </fieldset>
      {mode === "LIVE" && choosable.length > 0 ? (
        <FormField
          label="Broker account"
          name="brokerAccountId"
          error={fieldErrors?.brokerAccountId}
          hint="You have several accounts at this broker: which one trades this strategy."
        >
          {(a11y) => (
            <select {...a11y} name="brokerAccountId" defaultValue={values?.brokerAccountId ?? ""}>
              <option value="">Default account</option>
              {choosable.map((a) => (
                <option key={a.id} value={a.id}>
                  {accountOption(a)}
                </option>
              ))}
            </select>
          )}
        </FormField>
      ) : null}
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? "Creating…" : "Create strategy"}
      </button>
    </Form>
  );
}
