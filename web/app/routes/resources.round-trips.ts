import type { LoaderFunctionArgs } from "@remix-run/node";
import { RoundTripsDocument } from "../graphql/generated/graphql";
import { requireAuthedApi } from "../lib/authed-api.server";
import { readReportFilter, TRIP_PAGE_SIZE } from "../lib/report-filter";

// The next page of the reports page's round trips as JSON (?after=<cursor> plus the page's filters), for "Load more"
export async function loader({ request }: LoaderFunctionArgs) {
  try {
    const api = await requireAuthedApi(request);
    const url = new URL(request.url);
    const { filter } = readReportFilter(url.searchParams);
    const result = await api.execute("query", RoundTripsDocument, {
      filter,
      first: TRIP_PAGE_SIZE,
      after: url.searchParams.get("after") || null,
    });
    const headers = await api.headers();
    headers.set("Cache-Control", "no-store");
    if (result.failure)
      return Response.json(
        { error: result.failure.message },
        { status: result.failure.code === "NETWORK" ? 502 : 400, headers },
      );
    return Response.json({ page: result.data.roundTrips }, { headers });
  } catch (error) {
    // No usable session: a JSON 401 (with the cookie cleared) instead of a redirect to the login page
    if (error instanceof Response) {
      const headers = new Headers();
      const cookie = error.headers.get("Set-Cookie");
      if (cookie) headers.set("Set-Cookie", cookie);
      return Response.json({ error: "unauthenticated" }, { status: 401, headers });
    }
    throw error;
  }
}
