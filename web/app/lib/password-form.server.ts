export type PasswordCheck =
  | { ok: true; input: { currentPassword: string; newPassword: string } }
  | { ok: false; fieldErrors: Record<string, string> };

// The change-password form; the API checks the current password and its own rules again
export function readPasswordForm(form: FormData): PasswordCheck {
  const currentPassword = String(form.get("currentPassword") ?? "").slice(0, 200);
  const newPassword = String(form.get("newPassword") ?? "").slice(0, 200);
  const confirm = String(form.get("confirmPassword") ?? "").slice(0, 200);
  const fieldErrors: Record<string, string> = {};
  if (!currentPassword) fieldErrors.currentPassword = "Enter your current password.";
  if (newPassword.length < 8) fieldErrors.newPassword = "Use at least 8 characters.";
  else if (newPassword.length > 128) fieldErrors.newPassword = "Use at most 128 characters.";
  else if (newPassword === currentPassword)
    fieldErrors.newPassword = "Choose a password different from the current one.";
  if (!fieldErrors.newPassword && confirm !== newPassword)
    fieldErrors.confirmPassword = "The two new passwords differ.";
  return Object.keys(fieldErrors).length
    ? { ok: false, fieldErrors }
    : { ok: true, input: { currentPassword, newPassword } };
}
