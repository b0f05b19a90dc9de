// Decimals arrive as exact strings from the API and are shown as they are: never parsed into floats.
export function showDecimal(value: string | null | undefined): string {
  return value === null || value === undefined || value === "" ? "—" : value;
}

// Colour by sign from the text itself ("-12.50" is a loss, "0" and "0.00" are flat).
export function pnlClass(value: string | null | undefined): string {
  if (!value) return "";
  if (value.startsWith("-")) return "pnl-loss";
  return /[1-9]/.test(value) ? "pnl-gain" : "";
}
