import type { NotificationEvent } from "../graphql/generated/schema-types";

// Every event a trader can choose (TEST is the test message's, not a preference), in the order shown, with words
export const CHOOSABLE_EVENTS: ReadonlyArray<{ event: NotificationEvent; label: string; hint: string }> = [
  { event: "ORDER_FILLED", label: "Order filled", hint: "price, charges and P&L" },
  { event: "ORDER_REJECTED", label: "Order refused", hint: "by a risk rule or the broker, with the reason" },
  {
    event: "AWAITING_APPROVAL",
    label: "Approval needed",
    hint: "an alert of a strategy that needs approval waits for you",
  },
  { event: "ORDER_PLACED", label: "Order placed", hint: "sent to the broker" },
  { event: "ALERT_RECEIVED", label: "Alert received", hint: "every TradingView alert (many)" },
  { event: "DEAD_LETTER", label: "Order failed", hint: "gave up after retries: see Dead letters" },
  { event: "ERROR", label: "Errors", hint: "something went wrong with an order" },
  { event: "STRATEGY_DISABLED", label: "Strategy disabled", hint: "e.g. its daily loss limit was reached" },
  { event: "BROKER_TOKEN_EXPIRED", label: "Broker token expired", hint: "live orders stop until you reconnect" },
  {
    event: "BROKER_SESSION",
    label: "Broker session",
    hint: "token expiring soon, or its automatic renewal or login failed",
  },
  {
    event: "BROKER_NOT_READY",
    label: "Broker not ready",
    hint: "the pre-open check found a problem (token, static IP, instruments)",
  },
  { event: "KILL_SWITCH", label: "Kill switch", hint: "an administrator halted or resumed trading" },
  { event: "DAILY_SUMMARY", label: "Daily summary", hint: "trades, P&L and open positions after the close" },
];

const LABELS: Record<string, string> = {
  ...Object.fromEntries(CHOOSABLE_EVENTS.map((e) => [e.event, e.label])),
  TEST: "Test message",
};

export const eventLabel = (event: string) => LABELS[event] ?? event;

// Only known events leave a form: a crafted value never reaches the API
export function readEvents(values: FormDataEntryValue[]): NotificationEvent[] {
  const known = new Set<string>(CHOOSABLE_EVENTS.map((e) => e.event));
  return [...new Set(values.map(String).filter((v) => known.has(v)))] as NotificationEvent[];
}
