import { Form, Link, useNavigation } from "@remix-run/react";
import { AlertBanner } from "./alert-banner";
import { FormField } from "./form-field";

export type AuthFormState = {
  message?: string;
  fieldErrors?: { email?: string; password?: string };
  email?: string;
};

type AuthFormProps = {
  mode: "login" | "register";
  redirectTo: string;
  notice?: string | null;
  state?: AuthFormState;
};

// Shared by /login and /register: same fields, different wording and target.
export function AuthForm({ mode, redirectTo, notice, state }: AuthFormProps) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST";
  const isLogin = mode === "login";
  return (
    <main className="auth-page">
      <section className="card auth-card">
        <p className="brand brand-large">AlgoDatta</p>
        <h1>{isLogin ? "Sign in" : "Create your account"}</h1>
        {notice ? <AlertBanner tone="info">{notice}</AlertBanner> : null}
        {state?.message ? <AlertBanner tone="error">{state.message}</AlertBanner> : null}
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <FormField label="Email" name="email" error={state?.fieldErrors?.email}>
            {(a11y) => (
              <input
                {...a11y}
                name="email"
                type="email"
                autoComplete="email"
                defaultValue={state?.email}
                maxLength={254}
                required
              />
            )}
          </FormField>
          <FormField
            label="Password"
            name="password"
            error={state?.fieldErrors?.password}
            hint={isLogin ? undefined : "At least 8 characters."}
          >
            {(a11y) => (
              <input
                {...a11y}
                name="password"
                type="password"
                autoComplete={isLogin ? "current-password" : "new-password"}
                maxLength={128}
                required
              />
            )}
          </FormField>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? "Please wait…" : isLogin ? "Sign in" : "Create account"}
          </button>
        </Form>
        <p className="muted">
          {isLogin ? (
            <>
              New to AlgoDatta? <Link to="/register">Create an account</Link>
            </>
          ) : (
            <>
              Already registered? <Link to="/login">Sign in</Link>
            </>
          )}
        </p>
      </section>
    </main>
  );
}
