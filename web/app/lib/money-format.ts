// Exact decimal strings from the API, formatted for people without passing through a float: Indian digit
// grouping (1,23,456.78) and rupees with paise. Anything that is not a plain decimal is shown as it came.
const DECIMAL = /^([-+]?)(\d+)(?:\.(\d+))?$/;

export function groupIndian(digits: string): string {
  if (digits.length <= 3) return digits;
  let rest = digits.slice(0, -3);
  const groups: string[] = [];
  while (rest.length > 2) {
    groups.unshift(rest.slice(-2));
    rest = rest.slice(0, -2);
  }
  if (rest) groups.unshift(rest);
  return `${groups.join(",")},${digits.slice(-3)}`;
}

// Half-up (away from zero) to `places` digits, done on the digits themselves
function rounded(int: string, frac: string, places: number): { int: string; frac: string } {
  if (frac.length <= places) return { int, frac: frac.padEnd(places, "0") };
  const kept = (int + frac.slice(0, places)).split("").map(Number);
  if (Number(frac[places]) >= 5) {
    let i = kept.length - 1;
    while (i >= 0 && kept[i] === 9) kept[i--] = 0;
    if (i < 0) kept.unshift(1);
    else kept[i] += 1;
  }
  const all = kept.join("");
  return { int: all.slice(0, all.length - places) || "0", frac: all.slice(all.length - places) };
}

function parts(value: string): { negative: boolean; int: string; frac: string } | null {
  const m = DECIMAL.exec(value.trim());
  if (!m) return null;
  return { negative: m[1] === "-", int: m[2].replace(/^0+(?=\d)/, ""), frac: m[3] ?? "" };
}

const isZero = (int: string, frac: string) => !/[1-9]/.test(int + frac);

type InrOptions = { signed?: boolean };

// "123456.785" -> "₹1,23,456.79"; "-12.5" -> "-₹12.50"; with signed, gains get a "+"
export function formatInr(value: string | null | undefined, options: InrOptions = {}): string {
  if (value === null || value === undefined || value === "") return "—";
  const p = parts(value);
  if (!p) return value;
  const r = rounded(p.int, p.frac, 2);
  const zero = isZero(r.int, r.frac);
  const sign = zero ? "" : p.negative ? "-" : options.signed ? "+" : "";
  return `${sign}₹${groupIndian(r.int)}.${r.frac}`;
}

// Prices keep every digit the API sent (a 0.0025 tick must not become 0.00), with at least two decimals
export function formatPrice(value: string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "—";
  const p = parts(value);
  if (!p) return value;
  const frac = p.frac.replace(/0+$/, "").padEnd(2, "0");
  return `${p.negative && !isZero(p.int, frac) ? "-" : ""}${groupIndian(p.int)}.${frac}`;
}

// Quantities: grouped, exact, no forced decimals ("-1500" -> "-1,500")
export function formatQty(value: string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "—";
  const p = parts(value);
  if (!p) return value;
  const frac = p.frac.replace(/0+$/, "");
  return `${p.negative && !isZero(p.int, frac) ? "-" : ""}${groupIndian(p.int)}${frac ? `.${frac}` : ""}`;
}

const SCALE = 8;

// Exact sum of decimal strings (up to 8 decimal places), through BigInt: totals never pass through a float
export function sumDecimals(values: Array<string | null | undefined>): string {
  let total = 0n;
  for (const value of values) {
    const p = value ? parts(value) : null;
    if (!p) continue;
    const units = BigInt(p.int + p.frac.slice(0, SCALE).padEnd(SCALE, "0"));
    total += p.negative ? -units : units;
  }
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(SCALE + 1, "0");
  const frac = digits.slice(-SCALE).replace(/0+$/, "");
  return `${negative ? "-" : ""}${digits.slice(0, -SCALE)}${frac ? `.${frac}` : ""}`;
}
