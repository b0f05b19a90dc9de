// The broker page's live controls: automatic login (PIN + TOTP secret) and the daily P&L exit. Syntax only; the
// API and the broker decide the rest. The PIN and the secret are never sent back to the page, not even in an error.

type Checked<T> = { ok: true; input: T } | { ok: false; fieldErrors: Record<string, string> };

const BROKER = /^[a-z][a-z0-9-]{0,31}$/;
const AMOUNT = /^\d+(\.\d{1,2})?$/;
const PNL_PRODUCTS = ["INTRADAY", "CNC", "MARGIN", "MTF"];

export function readAutoLoginForm(form: FormData): Checked<{ broker: string; pin: string; totpSecret: string }> {
  const broker = String(form.get("broker") ?? "").trim();
  const pin = String(form.get("pin") ?? "").trim();
  const totpSecret = String(form.get("totpSecret") ?? "")
    .replace(/\s+/g, "")
    .toUpperCase();
  const fieldErrors: Record<string, string> = {};
  if (!/^\d{4,8}$/.test(pin)) fieldErrors.pin = "Enter your trading PIN (4 to 8 digits).";
  if (!/^[A-Z2-7]{16,160}=*$/.test(totpSecret))
    fieldErrors.totpSecret =
      "Paste the TOTP secret shown when you enabled TOTP (letters A-Z and digits 2-7), not a 6-digit code.";
  if (form.get("understood") !== "on") fieldErrors.understood = "Confirm that you understand the risk.";
  if (!BROKER.test(broker)) fieldErrors.broker = "Unknown broker.";
  return Object.keys(fieldErrors).length
    ? { ok: false, fieldErrors }
    : { ok: true, input: { broker, pin, totpSecret } };
}

export type PnlExitInput = { broker: string; profit?: string; loss?: string; products: string[]; killSwitch: boolean };

export function readPnlExitForm(form: FormData): Checked<PnlExitInput> {
  const broker = String(form.get("broker") ?? "").trim();
  const profit = String(form.get("profit") ?? "")
    .replace(/,/g, "")
    .trim();
  const loss = String(form.get("loss") ?? "")
    .replace(/,/g, "")
    .trim();
  const products = form
    .getAll("products")
    .map(String)
    .filter((p) => PNL_PRODUCTS.includes(p));
  const fieldErrors: Record<string, string> = {};
  if (profit && (!AMOUNT.test(profit) || Number(profit) <= 0))
    fieldErrors.profit = "A profit in rupees, e.g. 1500 or 1500.50.";
  if (loss && (!AMOUNT.test(loss) || Number(loss) <= 0))
    fieldErrors.loss = "A loss in rupees as a positive amount, e.g. 500.";
  if (!profit && !loss && !fieldErrors.profit) fieldErrors.loss = "Set a profit, a loss, or both.";
  if (!products.length) fieldErrors.products = "Choose at least one product.";
  if (!BROKER.test(broker)) fieldErrors.broker = "Unknown broker.";
  if (Object.keys(fieldErrors).length) return { ok: false, fieldErrors };
  return {
    ok: true,
    input: {
      broker,
      ...(profit && { profit }),
      ...(loss && { loss }),
      products,
      killSwitch: form.get("killSwitch") === "on",
    },
  };
}
