import type { LoaderFunctionArgs } from "@remix-run/node";
import { ExecutionRowByIdDocument } from "../graphql/generated/graphql";
import { requireAuthedApi } from "../lib/authed-api.server";

// One execution row as JSON, for the live executions table (the browser asks after each event).
// Uses the cookie session like every page: the browser handles no token for this.
export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const api = await requireAuthedApi(request);
    const result = await api.execute("query", ExecutionRowByIdDocument, { id: params.id ?? "" });
    const headers = await api.headers();
    headers.set("Cache-Control", "no-store");
    if (result.failure) {
      return Response.json(
        { error: result.failure.message },
        { status: result.failure.code === "NETWORK" ? 502 : 400, headers },
      );
    }
    return Response.json({ row: result.data.execution ?? null }, { headers });
  } catch (error) {
    // No usable session: a JSON 401 (with the cookie cleared) instead of a redirect to the login page.
    if (error instanceof Response) {
      const headers = new Headers();
      const cookie = error.headers.get("Set-Cookie");
      if (cookie) headers.set("Set-Cookie", cookie);
      return Response.json({ error: "unauthenticated" }, { status: 401, headers });
    }
    throw error;
  }
}
