const NUMBER = /^-?\d+(\.\d+)?$/;
// What a spreadsheet may take for the start of a formula (OWASP "CSV injection")
const FORMULA_START = /^[=+\-@\t\r]/;

// A text cell that a spreadsheet would run as a formula gets a leading apostrophe, so it shows as the text it
// is; numbers (a negative P&L starts with '-') are ours and stay numbers.
export function neutralizeCell(value: string): string {
  return FORMULA_START.test(value) && !NUMBER.test(value) ? `'${value}` : value;
}
