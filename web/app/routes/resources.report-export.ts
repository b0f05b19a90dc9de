import type { LoaderFunctionArgs } from "@remix-run/node";
import { proxyReportExport } from "../lib/report-export.server";

// GET /resources/report-export?from=…&to=…[&strategy_id&symbol&mode&kind]: the reports page's "Export CSV",
// streamed from the api with the cookie session's token.
export function loader({ request, context }: LoaderFunctionArgs) {
  return proxyReportExport(request, context.drained);
}
