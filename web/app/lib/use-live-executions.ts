import { useFetcher } from "@remix-run/react";
import { useEffect, useReducer, useRef, useState } from "react";
import { matchesFilter, type FilterValues } from "./execution-filter";
import { initialRows, nextCursor, rowsReducer, type Page, type Row, type RowsState } from "./execution-rows";
import type { LiveConnection } from "./live-connection.server";
import type { LiveStatus } from "./use-execution-events";
import { useLiveConnection } from "./use-live-connection";

type Options = { page: Page; filter: FilterValues; live: LiveConnection };
type MorePage = { page: Page };

// State of the live executions table: first page from the loader, "load more" through a fetcher
// (same loader, with ?after=<cursor>), and rows refreshed one by one when their events arrive.
export function useLiveExecutions({ page, filter, live }: Options): {
  state: RowsState;
  status: LiveStatus;
  loadMore(): void;
  loadingMore: boolean;
} {
  const [state, dispatch] = useReducer(rowsReducer, page, initialRows);
  const more = useFetcher<MorePage>();
  const filterRef = useRef(filter);
  filterRef.current = filter;

  useEffect(() => dispatch({ type: "page", page }), [page]);
  useEffect(() => {
    if (more.data?.page) dispatch({ type: "more", page: more.data.page });
  }, [more.data]);

  const refreshRow = useRowRefresher((id, row) => {
    dispatch({ type: "live", id, row: row && matchesFilter(row, filterRef.current) ? row : null });
  });

  const { status } = useLiveConnection({
    live,
    strategyId: filter.strategyId || undefined,
    onEvent: (event) => refreshRow(event.executionId),
  });

  const loadMore = () => {
    const cursor = nextCursor(state);
    if (!cursor) return;
    const params = new URLSearchParams(state.searchKey);
    params.set("after", cursor);
    more.load(`/executions?${params.toString()}`);
  };

  return { state, status, loadMore, loadingMore: more.state !== "idle" };
}

// Fetches /resources/execution-row/:id after events. Three events of one order arrive within
// milliseconds: one request per row at a time, and one more if events came in meanwhile.
function useRowRefresher(apply: (id: string, row: Row | null) => void): (id: string) => void {
  const applyRef = useRef(apply);
  applyRef.current = apply;
  const [refresh] = useState(() => {
    const inFlight = new Map<string, boolean>(); // id -> "another event arrived meanwhile"
    const run = (id: string): void => {
      if (inFlight.has(id)) {
        inFlight.set(id, true);
        return;
      }
      inFlight.set(id, false);
      void fetchRow(id)
        .then((row) => {
          if (row !== undefined) applyRef.current(id, row);
        })
        .finally(() => {
          const again = inFlight.get(id);
          inFlight.delete(id);
          if (again) run(id);
        });
    };
    return run;
  });
  return refresh;
}

// The row as the API has it now; null when it is gone or not ours; undefined when it could not be read
// (offline, signed out): then the next event or reconnect catches up.
async function fetchRow(id: string): Promise<Row | null | undefined> {
  try {
    const res = await fetch(`/resources/execution-row/${encodeURIComponent(id)}`, {
      headers: { accept: "application/json" },
    });
    if (!res.ok) return undefined;
    return ((await res.json()) as { row: Row | null }).row;
  } catch {
    return undefined;
  }
}
