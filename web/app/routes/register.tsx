import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { AuthForm } from "../components/auth-form";
import { RegisterDocument } from "../graphql/generated/graphql";
import { createApiClient } from "../lib/api-client.server";
import { describeApiError } from "../lib/api-errors";
import { readCredentials } from "../lib/auth-form.server";
import { getSession, startUserSession } from "../lib/session.server";

export const meta: MetaFunction = () => [{ title: "Create account · AlgoDatta" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await getSession(request);
  if (session.get("accessToken")) throw redirect("/");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const checked = readCredentials(form, "register");
  if (!checked.ok) return data(checked.state, { status: 400 });

  const { email, password } = checked.credentials;
  const result = await createApiClient(undefined, context.clientAddress)
    .mutation(RegisterDocument, { input: { email, password } })
    .toPromise();
  const payload = result.data?.register;
  if (!payload) {
    const failure = result.error ? describeApiError(result.error) : null;
    return data(
      {
        email,
        message: failure?.message ?? "Registration failed. Please try again.",
        fieldErrors: { email: failure?.fieldErrors.email, password: failure?.fieldErrors.password },
      },
      { status: failure?.code === "NETWORK" ? 503 : failure?.code === "RATE_LIMITED" ? 429 : 400 },
    );
  }
  return startUserSession({ accessToken: payload.accessToken, refreshToken: payload.refreshToken }, "/");
}

export default function RegisterRoute() {
  const state = useActionData<typeof action>();
  return <AuthForm mode="register" redirectTo="/" state={state} />;
}
