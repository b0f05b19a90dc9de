// The connect form: syntax only (the API verifies the credentials with the broker). The token is never sent
// back to the page, not even in an error.
export type ConnectValues = { broker: string; clientId: string };
export type ConnectCheck =
  | { ok: true; input: { broker: string; clientId: string; accessToken: string; label?: string } }
  | { ok: false; values: ConnectValues; fieldErrors: Record<string, string> };

export function readConnectForm(form: FormData): ConnectCheck {
  const broker = String(form.get("broker") ?? "").trim();
  const clientId = String(form.get("clientId") ?? "")
    .trim()
    .slice(0, 64);
  const accessToken = String(form.get("accessToken") ?? "").trim();
  // A new label adds another account at this broker; none reconnects the account with this client id (or the first)
  const label = String(form.get("label") ?? "").trim();
  const fieldErrors: Record<string, string> = {};
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(clientId))
    fieldErrors.clientId = "Enter your client id: letters and digits, as shown in your broker profile.";
  if (accessToken.length < 8) fieldErrors.accessToken = "Paste the access token you generated (it is long).";
  else if (accessToken.length > 4096)
    fieldErrors.accessToken = "This is longer than any access token; paste just the token.";
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(broker)) fieldErrors.broker = "Unknown broker.";
  if (label && !/^[\p{L}\p{N} ._()'&-]{1,64}$/u.test(label))
    fieldErrors.label = "Up to 64 letters, digits, spaces or . _ ( ) ' & -";
  if (Object.keys(fieldErrors).length > 0) return { ok: false, values: { broker, clientId }, fieldErrors };
  return { ok: true, input: { broker, clientId, accessToken, ...(label && { label }) } };
}
