import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { LogoutDocument } from "../graphql/generated/graphql";
import { requireAuthedApi } from "../lib/authed-api.server";
import { destroySession, getSession } from "../lib/session.server";

// POST only: a GET (link prefetch, image tag) must never sign anyone out.
export async function action({ request }: ActionFunctionArgs) {
  const session = await getSession(request);
  const refreshToken = session.get("refreshToken");
  if (refreshToken) {
    // Revoke this login's refresh token at the API so a copied cookie stops working too.
    // Best effort: the local session ends even when the API is down or the tokens already expired.
    try {
      const api = await requireAuthedApi(request);
      const result = await api.execute("mutation", LogoutDocument, {
        refreshToken: api.session.get("refreshToken") ?? refreshToken,
      });
      if (result.failure)
        console.warn(`[web] logout: API did not revoke the session (${result.failure.code ?? "error"})`);
    } catch (error) {
      if (!(error instanceof Response)) throw error;
    }
  }
  return redirect("/login?notice=signed-out", { headers: { "Set-Cookie": await destroySession(session) } });
}

export async function loader() {
  return redirect("/");
}
