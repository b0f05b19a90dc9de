import { useCallback, useState } from "react";
import type { RoundTripPageFragment, RoundTripRowFragment } from "../graphql/generated/graphql";

type State = { rows: RoundTripRowFragment[]; cursor: string | null; hasMore: boolean };

const fromPage = (page: RoundTripPageFragment | null): State => ({
  rows: page?.edges.map((e) => e.node) ?? [],
  cursor: page?.pageInfo.endCursor ?? null,
  hasMore: page?.pageInfo.hasNextPage ?? false,
});

// The trades table: the loader's first page, then older pages appended by "Load more" (the API's cursor, with the
// page's filters) from /resources/round-trips. New filters start over.
export function useRoundTripPages(first: RoundTripPageFragment | null, search: string) {
  const [state, setState] = useState(() => ({ from: first, ...fromPage(first) }));
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // New loader data (other filters, a revalidation) starts over in the same render, never showing the old rows
  if (state.from !== first) {
    setState({ from: first, ...fromPage(first) });
    setError(null);
  }

  const loadMore = useCallback(async () => {
    if (!state.cursor) return;
    setLoading(true);
    setError(null);
    try {
      const params = new URLSearchParams(search);
      params.set("after", state.cursor);
      const res = await fetch(`/resources/round-trips?${params}`, { headers: { accept: "application/json" } });
      const body = (await res.json()) as { page?: RoundTripPageFragment; error?: string };
      if (res.status === 401) {
        window.location.reload();
        return;
      }
      if (!res.ok || !body.page) throw new Error(body.error ?? `HTTP ${res.status}`);
      const next = fromPage(body.page);
      setState((s) => ({
        ...s,
        rows: [...s.rows, ...next.rows.filter((r) => !s.rows.some((o) => o.id === r.id))],
        cursor: next.cursor,
        hasMore: next.hasMore,
      }));
    } catch (e) {
      setError(`Could not load more round trips: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setLoading(false);
    }
  }, [search, state.cursor]);

  return { rows: state.rows, hasMore: state.hasMore, loading, error, loadMore };
}
