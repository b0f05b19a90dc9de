import type { AuthFormState } from "../components/auth-form";

export type Credentials = { email: string; password: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// Reads and checks the email/password form; the API applies its own rules too.
export function readCredentials(
  form: FormData,
  mode: "login" | "register",
): { ok: true; credentials: Credentials } | { ok: false; state: AuthFormState } {
  const email = String(form.get("email") ?? "").trim();
  const password = String(form.get("password") ?? "");
  const fieldErrors: NonNullable<AuthFormState["fieldErrors"]> = {};
  if (!EMAIL.test(email)) fieldErrors.email = "Enter a valid email address.";
  if (!password) fieldErrors.password = "Enter your password.";
  else if (mode === "register" && password.length < 8) fieldErrors.password = "Use at least 8 characters.";
  if (fieldErrors.email || fieldErrors.password) return { ok: false, state: { email, fieldErrors } };
  return { ok: true, credentials: { email, password } };
}

const NOTICES: Record<string, string> = {
  expired: "Your session has ended. Please sign in again.",
  "signed-out": "You have been signed out.",
};

// Only known codes become text: a crafted ?notice= cannot put arbitrary words on the login page.
export function noticeText(code: string | null): string | null {
  return code ? (NOTICES[code] ?? null) : null;
}
