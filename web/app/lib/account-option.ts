// A broker account as a <select> option: short enough for a phone's select (390 px), whose closed box cuts what does
// not fit: the broker, the account's label if it has one, the masked client id; the status only when it is not
// CONNECTED (the Broker page says the rest).
type AccountLike = { broker: string; label?: string | null; clientIdMasked?: string | null; status: string };

export function accountOption(a: AccountLike, { broker = true }: { broker?: boolean } = {}): string {
  const name = broker ? [a.broker, a.label].filter(Boolean).join(" · ") : (a.label ?? a.broker);
  const status = a.status === "CONNECTED" ? "" : ` (${a.status.toLowerCase()})`;
  return `${name} ${a.clientIdMasked ?? ""}`.trim() + status;
}
