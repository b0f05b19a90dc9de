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

const newerFirst = (a: Row, b: Row) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.createdAt < b.createdAt ? 1 : -1);

export function initialRows(page: Page): RowsState {
  return { searchKey: page.searchKey, rows: page.rows, hasMore: page.hasNextPage, loadedMore: false, total: page.totalCount };
}

export function rowsReducer(state: RowsState, action: RowsAction): RowsState {
  switch (action.type) {
    case "page": {
      if (action.page.failed && action.page.searchKey === state.searchKey) return state;
      if (action.page.searchKey !== state.searchKey || !state.loadedMore) return initialRows(action.page);
      // Revalidated first page with older pages loaded: the page is the truth for its own range,
      // older rows stay as loaded.
      const oldest = action.page.rows[action.page.rows.length - 1];
      const older = oldest ? state.rows.filter((r) => newerFirst(r, oldest) > 0) : state.rows;
      return { ...state, rows: merge(action.page.rows, older), total: action.page.totalCount };
    }
    case "more":
      if (action.page.failed || action.page.searchKey !== state.searchKey) return state; // failed, or for a filter that is gone
      return { ...state, rows: merge(state.rows, action.page.rows), hasMore: action.page.hasNextPage, loadedMore: true };
    case "live": {
      const known = state.rows.some((r) => r.id === action.id);
      if (!action.row) return known ? { ...state, rows: state.rows.filter((r) => r.id !== action.id), total: Math.max(0, state.total - 1) } : state;
      const prior = state.rows.find((r) => r.id === action.id);
      const row = { ...action.row, cursor: prior?.cursor }; // keep its cursor: "load more" pages on from it
      return { ...state, rows: merge([row], state.rows), total: known ? state.total : state.total + 1 };
    }
  }
}

// Union by id (first list wins), sorted like the API sorts.
function merge(preferred: Row[], others: Row[]): Row[] {
  const byId = new Map<string, Row>();
  for (const row of others) byId.set(row.id, row);
  for (const row of preferred) byId.set(row.id, row);
  return [...byId.values()].sort(newerFirst);
}

// "load more" continues after the oldest row the API gave us a cursor for.
export function nextCursor(state: RowsState): string | null {
  for (let i = state.rows.length - 1; i >= 0; i -= 1) {
    const cursor = state.rows[i].cursor;
    if (cursor) return cursor;
  }
  return null;
}
