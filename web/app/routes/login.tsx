import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { AuthForm } from "../components/auth-form";
import { LoginDocument } from "../graphql/generated/graphql";
import { createApiClient } from "../lib/api-client.server";
import { describeApiError } from "../lib/api-errors";
import { noticeText, readCredentials } from "../lib/auth-form.server";
import { getSession, safeRedirectPath, startUserSession } from "../lib/session.server";

export const meta: MetaFunction = () => [{ title: "Sign in · AlgoDatta" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await getSession(request);
  if (session.get("accessToken")) throw redirect("/");
  const url = new URL(request.url);
  return {
    notice: noticeText(url.searchParams.get("notice")),
    redirectTo: safeRedirectPath(url.searchParams.get("redirectTo")),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const redirectTo = safeRedirectPath(form.get("redirectTo"));
  const checked = readCredentials(form, "login");
  if (!checked.ok) return data(checked.state, { status: 400 });

  const { email, password } = checked.credentials;
  const result = await createApiClient(undefined, context.clientAddress)
    .mutation(LoginDocument, { input: { email, password } })
    .toPromise();
  const payload = result.data?.login;
  if (!payload) {
    const failure = result.error ? describeApiError(result.error) : null;
    return data(
      { email, message: failure?.message ?? "Sign-in failed. Please try again.", fieldErrors: {} },
      { status: failure?.code === "NETWORK" ? 503 : failure?.code === "RATE_LIMITED" ? 429 : 401 },
    );
  }
  return startUserSession({ accessToken: payload.accessToken, refreshToken: payload.refreshToken }, redirectTo);
}

export default function LoginRoute() {
  const { notice, redirectTo } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  return <AuthForm mode="login" redirectTo={redirectTo} notice={notice} state={state} />;
}
