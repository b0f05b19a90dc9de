// A small RFC 4180 reader for the exports the tests download: quoted fields, doubled quotes, CRLF or LF.
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows;
  return body.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i]])));
}

// Exact sums of decimal strings in 1/10,000ths (the api's money has at most 4 places), as a decimal string
const SCALE = 10_000n;
export function toUnits(value) {
  const m = /^(-?)(\d+)(?:\.(\d{1,4}))?$/.exec(String(value).trim());
  if (!m) throw new Error(`not a decimal: ${value}`);
  const units = BigInt(m[2]) * SCALE + BigInt((m[3] ?? "").padEnd(4, "0"));
  return m[1] === "-" ? -units : units;
}
export function fromUnits(units) {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const frac = String(abs % SCALE)
    .padStart(4, "0")
    .replace(/0+$/, "");
  return `${negative ? "-" : ""}${abs / SCALE}${frac ? `.${frac}` : ""}`;
}
export const sumUnits = (values) => values.reduce((total, v) => total + toUnits(v), 0n);

// ₹ with Indian grouping, rounded half away from zero to the paisa, as the dashboard shows money
export function inr(units, { signed = false } = {}) {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const paise = (abs + 50n) / 100n;
  const rupees = String(paise / 100n);
  const grouped =
    rupees.length <= 3 ? rupees : `${rupees.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ",")},${rupees.slice(-3)}`;
  const sign = paise === 0n ? "" : negative ? "-" : signed ? "+" : "";
  return `${sign}₹${grouped}.${String(paise % 100n).padStart(2, "0")}`;
}
