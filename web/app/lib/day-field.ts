// Calendar days typed and shown as an Indian trader writes them: dd/mm/yyyy. A native <input type="date"> shows
// the browser's own locale's order (mm/dd/yyyy in an en-US chromium, whatever the page's lang says), so the day
// fields are text fields in this one spelling; URLs and the API keep ISO days (2026-12-31), and a typed or linked
// ISO day is read too.

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

// For the input's `pattern` attribute (checked by the browser before a form is sent): dd/mm/yyyy or an ISO day
export const DAY_PATTERN = String.raw`\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}`;
export const DAY_PLACEHOLDER = "dd/mm/yyyy";

const pad = (n: string) => n.padStart(2, "0");

// The ISO day (2026-12-31) a field's text names, or "" when it names no real day (31/02/2026 does not survive the
// round trip through Date)
export function readDay(raw: string): string {
  const text = raw.trim();
  const iso = ISO.exec(text);
  const dmy = DMY.exec(text);
  const day = iso ? text : dmy ? `${dmy[3]}-${pad(dmy[2])}-${pad(dmy[1])}` : "";
  if (!day) return "";
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day ? day : "";
}

// An ISO day as the field shows it (31/12/2026); anything else (what was typed, an error to correct) as it is
export function showDay(value: string): string {
  const iso = ISO.exec(value);
  return iso ? `${iso[3]}/${iso[2]}/${iso[1]}` : value;
}

const EXAMPLE = "dd/mm/yyyy, e.g. 31/12/2026";

// What is wrong with a day field's text, said so that a trader can correct it ("" when it is empty or a day): the
// field's custom validity, so the browser refuses the form with this message instead of dropping the day
export function dayProblem(raw: string): string {
  const text = raw.trim();
  if (!text || readDay(text)) return "";
  if (ISO.test(text) || DMY.test(text)) return `${text} is not a day of the calendar: write it as ${EXAMPLE}.`;
  return `Write the day as ${EXAMPLE}.`;
}
