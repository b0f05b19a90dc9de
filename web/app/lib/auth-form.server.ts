import type { AuthFormState } from "../components/auth-form";

export type Credentials = { email: string; password: string };

// The API's limits (RegisterInput / LoginInput): longer values are refused before any other check
export const EMAIL_MAX_LENGTH = 254;
export const PASSWORD_MAX_LENGTH = 128;

// One "@" with text before it, no whitespace, and a dot inside the domain. Checked with index scans, never a
// backtracking regex: /^[^\s@]+@[^\s@]+\.[^\s@]+$/ took seconds on a crafted 40 KB value (quadratic).
export function isEmailAddress(value: string, maxLength = EMAIL_MAX_LENGTH): boolean {
  if (value.length > maxLength) return false;
  const at = value.indexOf("@");
  if (at < 1 || at !== value.lastIndexOf("@") || /\s/.test(value)) return false;
  return value.slice(at + 2, -1).includes(".");
}

// Reads and checks the email/password form; the API applies its own rules too.
export function readCredentials(
  form: FormData,
  mode: "login" | "register",
): { ok: true; credentials: Credentials } | { ok: false; state: AuthFormState } {
  const email = String(form.get("email") ?? "").trim();
  const password = String(form.get("password") ?? "");
  const fieldErrors: NonNullable<AuthFormState["fieldErrors"]> = {};
  if (!isEmailAddress(email)) fieldErrors.email = "Enter a valid email address.";
  if (!password) fieldErrors.password = "Enter your password.";
  else if (password.length > PASSWORD_MAX_LENGTH)
    fieldErrors.password = `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  else if (mode === "register" && password.length < 8) fieldErrors.password = "Use at least 8 characters.";
  // An oversized value is not echoed back into the page
  if (fieldErrors.email || fieldErrors.password) {
    return { ok: false, state: { email: email.length > EMAIL_MAX_LENGTH ? "" : email, fieldErrors } };
  }
  return { ok: true, credentials: { email, password } };
}

const NOTICES: Record<string, string> = {
  expired: "Your session has ended. Please sign in again.",
  "signed-out": "You have been signed out.",
  disabled: "An administrator disabled this account, so you were signed out. Ask them to enable it again.",
};

// Only known codes become text: a crafted ?notice= cannot put arbitrary words on the login page.
export function noticeText(code: string | null): string | null {
  return code ? (NOTICES[code] ?? null) : null;
}
