// Any URL no other route matches: a plain 404 page (root ErrorBoundary). A thrown Response is an answer, not a
// server error, so Remix logs nothing for it (it printed a stack trace for every unknown URL before).
export function loader() {
  throw new Response("No page at this address.", { status: 404, statusText: "Not Found" });
}

export default function NotFound() {
  return null;
}
