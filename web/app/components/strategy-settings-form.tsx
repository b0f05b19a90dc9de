import { QUANTITY_RULE_SUMMARY } from "@algodatta/broker-sdk/src/quantity-rule";
import { Form } from "@remix-run/react";
import { useState, type ReactNode } from "react";
import { accountOption } from "../lib/account-option";
import { MODES, TIMEFRAMES } from "../lib/strategy-form.validate";
import {
  ALLOWED_SIDES,
  EXCHANGE_SEGMENTS,
  OPPOSITE_POLICIES,
  PRODUCT_TYPES,
  SIZING_MODES,
  type SettingsValues,
} from "../lib/strategy-settings.validate";
import { AlertBanner } from "./alert-banner";
import { FormField } from "./form-field";

type StrategySettingsFormProps = {
  values: SettingsValues;
  fieldErrors?: Record<string, string>;
  message?: string | null;
  brokers: { name: string; displayName: string }[];
  /** The user's broker accounts: a LIVE strategy picks one when there are several at its broker */
  accounts?: { id: string; broker: string; label?: string | null; clientIdMasked: string; status: string }[];
  busy: boolean;
};

const SIDE_LABELS: Record<string, string> = {
  BOTH: "Long and short",
  LONG_ONLY: "Long only",
  SHORT_ONLY: "Short only",
};
// Option texts stay short (a phone's closed select cuts longer ones); what each means is in the field's hint
const POLICY_LABELS: Record<string, string> = {
  REDUCE_ONLY: "Reduce only",
  REVERSE: "Reverse",
};
const POLICY_HINT = "Reduce only: an opposite signal closes, never flips. Reverse: it closes and opens the other side.";
const SIZING_LABELS: Record<string, string> = {
  ALERT: "From the alert",
  FIXED: "Fixed quantity",
  PERCENT_OF_CAPITAL: "Percent of capital",
  RISK_PER_TRADE: "Risk per trade",
  MULTIPLIER: "Alert's qty × factor",
};
const SIZING_HINT =
  "From the alert: its qty, else the Quantity above. Fixed: always the Quantity above. Risk per trade: INR risked, needs the alert's stop_loss.";

// Settings and risk limits of one strategy; every value is sent as text, decimals never become floats.
export function StrategySettingsForm({
  values,
  fieldErrors = {},
  message,
  brokers,
  accounts = [],
  busy,
}: StrategySettingsFormProps) {
  const text = (
    name: string,
    label: string,
    extra: { hint?: string; placeholder?: string; inputMode?: "decimal" | "numeric" } = {},
  ) => (
    <FormField label={label} name={name} error={fieldErrors[name]} hint={extra.hint}>
      {(a11y) => (
        <input
          {...a11y}
          name={name}
          defaultValue={values[name]}
          placeholder={extra.placeholder}
          inputMode={extra.inputMode}
        />
      )}
    </FormField>
  );
  const [mode, setMode] = useState(values.mode);
  const select = (
    name: string,
    label: string,
    options: readonly string[],
    labels: Record<string, string> = {},
    hint?: string,
  ) => (
    <FormField label={label} name={name} error={fieldErrors[name]} hint={hint}>
      {(a11y) => (
        <select
          {...a11y}
          name={name}
          defaultValue={values[name]}
          onChange={name === "mode" ? (e) => setMode(e.currentTarget.value) : undefined}
        >
          {withCurrent(options, values[name]).map((o) => (
            <option key={o} value={o}>
              {labels[o] ?? o}
            </option>
          ))}
        </select>
      )}
    </FormField>
  );
  // The paper broker is not a choice: PAPER mode always fills there, and the broker below is the live one
  const liveBrokers = brokers.filter((b) => b.name !== "paper");
  const brokerLabels = Object.fromEntries(liveBrokers.map((b) => [b.name, b.displayName]));
  // Several accounts at the strategy's broker (e.g. two Dhan accounts): which one it trades on
  const sameBroker = accounts.filter((a) => a.broker === values.broker);

  return (
    <Form method="post" className="stack" noValidate aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      {message ? <AlertBanner tone="error">{message}</AlertBanner> : null}
      <Group title="Order">
        {text("name", "Name")}
        <div className="field-row">
          {text("symbol", "Symbol", { hint: "TradingView ticker, e.g. NATURALGAS." })}
          {select("timeframe", "Timeframe", TIMEFRAMES)}
        </div>
        <div className="field-row">
          {text("qty", "Quantity", { inputMode: "numeric", hint: `${QUANTITY_RULE_SUMMARY}.` })}
          {select("mode", "Mode", MODES, { PAPER: "Paper (simulated fills)", LIVE: "Live (real orders)" })}
        </div>
        <div className="field-row field-row-3">
          {select("exchangeSegment", "Exchange segment", EXCHANGE_SEGMENTS)}
          {select("productType", "Product type", PRODUCT_TYPES)}
          {mode === "LIVE" ? (
            select(
              "broker",
              "Broker (live orders)",
              liveBrokers.map((b) => b.name),
              brokerLabels,
              "Connect it on the Broker page.",
            )
          ) : (
            <FormField
              label="Broker"
              name="broker"
              hint="Paper fills are simulated; choose the live broker after switching Mode to Live."
            >
              {(a11y) => (
                <select {...a11y} disabled defaultValue="paper">
                  <option value="paper">Paper (simulated)</option>
                </select>
              )}
            </FormField>
          )}
        </div>
        {mode === "LIVE" && sameBroker.length > 1 ? (
          <FormField
            label="Broker account"
            name="brokerAccountId"
            error={fieldErrors.brokerAccountId}
            hint={`Which of your accounts at this broker trades this strategy; the default is ${accountOption(sameBroker[0], { broker: false })}.`}
          >
            {(a11y) => (
              <select {...a11y} name="brokerAccountId" defaultValue={values.brokerAccountId ?? ""}>
                <option value="">Default account</option>
                {sameBroker.map((a) => (
                  <option key={a.id} value={a.id}>
                    {accountOption(a, { broker: false })}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        ) : null}
        {text("instrumentOverride", "Security id override", {
          inputMode: "numeric",
          hint: "Optional broker security id; overrides symbol lookup.",
        })}
        {text("allowedSymbols", "Other symbols (multi-symbol strategy)", {
          placeholder: "None: alerts for other symbols are refused",
          hint: "Comma-separated tickers alerts may also name, each traded as its own position; alerts for any other symbol are refused (symbol_mismatch).",
        })}
      </Group>
      <Group title="Risk limits">
        <div className="field-row field-row-3">
          {text("maxQtyPerOrder", "Max qty per order", { inputMode: "decimal", placeholder: "No limit" })}
          {text("maxOpenPosition", "Max open position", { inputMode: "decimal", placeholder: "No limit" })}
          {text("maxDailyLoss", "Max daily loss (INR)", {
            inputMode: "decimal",
            placeholder: "No limit",
            hint: "Reaching it disables the strategy.",
          })}
        </div>
        <div className="field-row field-row-3">
          {text("tradingWindowStart", "Trading window start (IST)", { placeholder: "Any time, e.g. 09:15" })}
          {text("tradingWindowEnd", "Trading window end (IST)", { placeholder: "Any time, e.g. 15:15" })}
          {text("alertsPerMinute", "Alerts per minute", { inputMode: "numeric" })}
        </div>
        <div className="field-row">
          {select("allowedSides", "Allowed sides", ALLOWED_SIDES, SIDE_LABELS)}
          {select("oppositeSignalPolicy", "Opposite signal", OPPOSITE_POLICIES, POLICY_LABELS, POLICY_HINT)}
        </div>
      </Group>
      <Group title="Signals and sizing">
        <div className="field-row field-row-3">
          {text("maxSignalAgeSeconds", "Max signal age (seconds)", {
            inputMode: "numeric",
            placeholder: "Never stale",
            hint: "Entries whose alert time is older are refused (stale_signal).",
          })}
          {text("cooldownMinutes", "Cooldown after a loss (minutes)", {
            inputMode: "numeric",
            placeholder: "No cooldown",
          })}
          {text("maxTradesPerDay", "Max trades per day (IST)", { inputMode: "numeric", placeholder: "No limit" })}
        </div>
        <div className="field-row">
          {select("sizingMode", "Sizing", SIZING_MODES, SIZING_LABELS, SIZING_HINT)}
          {text("sizingValue", "Sizing value", {
            inputMode: "decimal",
            placeholder: "Not used",
            hint: "Percent of capital: the percent. Risk per trade: INR risked. Multiplier: the factor. Rounded down to lots, capped by the limits above.",
          })}
        </div>
        <FormField
          label="Trade to TradingView's position on a mismatch"
          name="syncToTradingView"
          hint="When prev_market_position shows a missed or out-of-order alert. Mismatches are flagged and notified either way."
        >
          {(a11y) => (
            <input
              {...a11y}
              type="checkbox"
              name="syncToTradingView"
              defaultChecked={values.syncToTradingView === "on"}
            />
          )}
        </FormField>
      </Group>
      <Group title="Exits">
        <p className="muted">
          After an entry fills, AlgoDatta watches the price and sends one exit when the stop or the target is crossed
          (the other is then cancelled). Levels count from the fill price. Each alert may override them with stop_loss,
          take_profit, trailing_stop, breakeven_at and exit_after (a price such as 2450.5 is allowed there). Prices come
          from every alert of the symbol; send a PRICE alert on every bar for a closer watch. On a live broker that
          offers bracket orders (DhanHQ Super Order), an entry from flat with a target and a stop goes as one bracket
          order instead: the broker holds both exits, with levels counted from the alert&apos;s price.
        </p>
        <div className="field-row field-row-3">
          {text("exitStopLoss", "Stop loss", {
            placeholder: "None, e.g. 1% or 20pts",
            hint: "Below a long's fill price, above a short's.",
          })}
          {text("exitTakeProfit", "Take profit", {
            placeholder: "None, e.g. 2% or 40pts",
            hint: "Above a long's fill price, below a short's.",
          })}
          {text("exitTrailingStop", "Trailing stop", {
            placeholder: "None, e.g. 1% or 10pts",
            hint: "The stop follows the best price by this distance and never moves back.",
          })}
        </div>
        <div className="field-row">
          {text("exitBreakevenAt", "Breakeven at", {
            placeholder: "None, e.g. 1% or 15pts",
            hint: "Once the price is this far in profit, the stop moves to the entry price.",
          })}
          {text("exitAfterMinutes", "Exit after (minutes)", {
            inputMode: "numeric",
            placeholder: "Never",
            hint: "Closes the position this long after the entry filled.",
          })}
        </div>
      </Group>
      <Group title="Approval">
        <FormField
          label="Approve each alert first"
          name="requireApproval"
          hint="Accepted alerts wait on the Executions page (Awaiting approval) until you approve or reject them; approving checks the risk rules and the signal's age again."
        >
          {(a11y) => (
            <input {...a11y} type="checkbox" name="requireApproval" defaultChecked={values.requireApproval === "on"} />
          )}
        </FormField>
        {text("approvalTimeoutMinutes", "Approval timeout (minutes)", {
          inputMode: "numeric",
          hint: "Unanswered alerts are rejected after this (approval_expired).",
        })}
      </Group>
      <div>
        <button type="submit" name="intent" value="save" className="button button-primary" disabled={busy}>
          {busy ? "Saving…" : "Save settings"}
        </button>
      </div>
    </Form>
  );
}

function Group({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="form-group">
      <legend>{title}</legend>
      <div className="stack">{children}</div>
    </fieldset>
  );
}

// A value the API accepts but our short list lacks (e.g. timeframe "45") must stay selectable.
function withCurrent(options: readonly string[], current: string | undefined): readonly string[] {
  return current && !options.includes(current) ? [current, ...options] : options;
}
