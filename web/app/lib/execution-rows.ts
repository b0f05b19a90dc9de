import type { ExecutionRowFragment } from "../graphql/generated/graphql";

// Rows of the live executions table: the loader's first page, pages added by "load more" (cursor), and
// rows pushed by live events, kept in the API's order (createdAt desc, id desc) without duplicates.
export type Row = ExecutionRowFragment & { cursor?: string };
// failed: the API could not be asked; such a page must not wipe the rows already on screen.
export type Page = { searchKey: string; rows: Row[]; hasNextPage: boolean; totalCount: number; failed: boolean };
export type RowsState = { searchKey: string; rows: Row[]; hasMore: boolean; loadedMore: boolean; total: number };

export type RowsAction =
  | { type: "page"; page: Page } // the loader's first page (first render, revalidation, new filters)
  | { type: "more"; page: Page } // a "load more" page
  | { type: "live"; id: string; row: Row | null }; // a live update: the row as it is now, or null if the filter hides it

const newerFirst = (a: Row, b: Row) =>
  a.createdAt === b.createdAt ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.createdAt < b.createdAt ? 1 : -1;

// Rows of one millisecond (a burst's alerts are stored microseconds apart, in arrival order) keep the order the
// API gave them: createdAt reaches us in milliseconds, so an id tie-break would reorder a reversal's steps on screen.
// Each list is in the API's order; the first list holding both rows decides, else the id does (a live row).
function apiOrder(lists: Row[][]): (a: Row, b: Row) => number {
  const positions = lists.map((list) => new Map(list.map((r, i) => [r.id, i])));
  return (a, b) => {
    if (a.createdAt !== b.createdAt) return newerFirst(a, b);
    for (const position of positions) {
      const i = position.get(a.id);
      const j = position.get(b.id);
      if (i !== undefined && j !== undefined) return i - j;
    }
    return newerFirst(a, b);
  };
}

export function initialRows(page: Page): RowsState {
  return {
    searchKey: page.searchKey,
    rows: page.rows,
    hasMore: page.hasNextPage,
    loadedMore: false,
    total: page.totalCount,
  };
}

export function rowsReducer(state: RowsState, action: RowsAction): RowsState {
  switch (action.type) {
    case "page": {
      const { page } = action;
      if (page.searchKey !== state.searchKey) return initialRows(page);
      if (page.failed) return state;
      // Rows newer than the page's newest arrived live while it was being read: a late reload must not drop them.
      const newest = page.rows[0];
      const inPage = new Set(page.rows.map((r) => r.id));
      const fresher = state.rows.filter((r) => !inPage.has(r.id) && (!newest || newerFirst(r, newest) < 0));
      // With older pages loaded, the reloaded first page is the truth for its own range only.
      const oldest = page.rows[page.rows.length - 1];
      const older = !state.loadedMore ? [] : oldest ? state.rows.filter((r) => newerFirst(r, oldest) > 0) : state.rows;
      // Our versions of the page's rows too: merge keeps whichever was updated last.
      const mine = state.rows.filter((r) => inPage.has(r.id));
      return {
        ...state,
        rows: merge(page.rows, [...mine, ...fresher, ...older]),
        hasMore: state.loadedMore ? state.hasMore : page.hasNextPage,
        total: page.totalCount + fresher.length,
      };
    }
    case "more":
      if (action.page.failed || action.page.searchKey !== state.searchKey) return state; // failed, or for a filter that is gone
      return {
        ...state,
        rows: merge(state.rows, action.page.rows),
        hasMore: action.page.hasNextPage,
        loadedMore: true,
      };
    case "live": {
      const known = state.rows.some((r) => r.id === action.id);
      if (!action.row)
        return known
          ? { ...state, rows: state.rows.filter((r) => r.id !== action.id), total: Math.max(0, state.total - 1) }
          : state;
      return { ...state, rows: merge([action.row], state.rows), total: known ? state.total : state.total + 1 };
    }
  }
}

// Union by id, sorted like the API sorts. Of two versions of a row the later updatedAt wins (the first list
// on a tie): a reload that was read before a live update must not put the older status back.
function merge(preferred: Row[], others: Row[]): Row[] {
  const byId = new Map<string, Row>();
  for (const row of others) byId.set(row.id, row);
  for (const row of preferred) {
    const other = byId.get(row.id);
    const newer = !other || row.updatedAt >= other.updatedAt ? row : other;
    byId.set(row.id, { ...newer, cursor: row.cursor ?? other?.cursor }); // keep the cursor: "load more" pages on from it
  }
  return [...byId.values()].sort(apiOrder([preferred, others]));
}

// "load more" continues after the oldest row the API gave us a cursor for.
export function nextCursor(state: RowsState): string | null {
  for (let i = state.rows.length - 1; i >= 0; i -= 1) {
    const cursor = state.rows[i].cursor;
    if (cursor) return cursor;
  }
  return null;
}
