import type { ApiKeyInput, ApiKeyScope } from "../graphql/generated/schema-types";
import { istDay } from "./ist-time";
import { readDay } from "./day-field";

const IST_OFFSET_MS = 5.5 * 60 * 60 * 1000;

export type ApiKeyFormResult =
  { ok: true; input: ApiKeyInput } | { ok: false; fieldErrors: Record<string, string>; values: Record<string, string> };

// The end of an IST calendar day as an instant: a key "until 2026-12-31" works through that whole day in India
export function endOfIstDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 24 * 60 * 60 * 1000 - IST_OFFSET_MS).toISOString();
}

// Name, access (read only, or read and trade) and an optional last IST day; checked here so a mistake is named
// beside its field before anything reaches the api
export function readApiKeyForm(form: FormData, now = new Date()): ApiKeyFormResult {
  const name = String(form.get("name") ?? "").trim();
  const access = String(form.get("access") ?? "");
  const expiresOn = String(form.get("expiresOn") ?? "").trim();
  const values = { name, access, expiresOn };
  const fieldErrors: Record<string, string> = {};
  if (!name) fieldErrors.name = "Give the key a name, e.g. what uses it.";
  else if (name.length > 100) fieldErrors.name = "At most 100 characters.";
  if (access !== "READ" && access !== "TRADE") fieldErrors.access = "Choose what the key may do.";
  // dd/mm/yyyy as typed (or an ISO day)
  const day = readDay(expiresOn);
  if (expiresOn && !day)
    fieldErrors.expiresOn = "Enter a date as dd/mm/yyyy, or leave it empty for a key that lasts until revoked.";
  else if (day && day < istDay(now.toISOString())) fieldErrors.expiresOn = "Choose today or a later day.";
  if (Object.keys(fieldErrors).length) return { ok: false, fieldErrors, values };
  const scopes: ApiKeyScope[] = access === "TRADE" ? ["READ", "TRADE"] : ["READ"];
  return { ok: true, input: { name, scopes, expiresAt: day ? endOfIstDay(day) : null } };
}
