import {
  initialRows,
  nextCursor,
  rowsReducer,
  type Page,
  type Row,
  type RowsState,
} from "../../app/lib/execution-rows";

const row = (n: number, patch: Partial<Row> = {}): Row => ({
  id: `id-${String(n).padStart(3, "0")}`,
  strategyId: "s1",
  symbol: "RELIANCE",
  side: "BUY",
  qty: "1",
  filledQty: "1",
  avgFillPrice: "2501.25",
  charges: "1.05",
  pnl: null,
  status: "FILLED",
  mode: "PAPER",
  orderType: "MARKET",
  // one second apart, newer for a higher n
  createdAt: new Date(Date.UTC(2026, 10, 26, 4, 0, n)).toISOString(),
  updatedAt: new Date(Date.UTC(2026, 10, 26, 4, 0, n)).toISOString(),
  cursor: `c${n}`,
  ...patch,
});

const page = (rows: Row[], patch: Partial<Page> = {}): Page => ({
  searchKey: "",
  rows,
  hasNextPage: false,
  totalCount: rows.length,
  failed: false,
  ...patch,
});
const ids = (state: RowsState) => state.rows.map((r) => r.id);

describe("executions table state", () => {
  it("should keep the API's order of rows stored in the same millisecond when the page is read again", () => {
    // A burst's alerts stored microseconds apart: the API sorts them by the full time, we see milliseconds only
    const at = { createdAt: "2026-11-26T04:00:03.869Z" };
    const apiOrdered = [row(9), row(2, at), row(7, at), row(1, at), row(0)];
    let state = initialRows(page(apiOrdered));
    expect(ids(state)).toEqual(["id-009", "id-002", "id-007", "id-001", "id-000"]);
    state = rowsReducer(state, { type: "page", page: page(apiOrdered) });
    expect(ids(state)).toEqual(["id-009", "id-002", "id-007", "id-001", "id-000"]);
    // A live update of one of them does not move it either
    state = rowsReducer(state, { type: "live", id: "id-002", row: row(2, { ...at, status: "REJECTED" }) });
    expect(ids(state)).toEqual(["id-009", "id-002", "id-007", "id-001", "id-000"]);
  });
  it("should append a load-more page after the first page, without duplicates, and page on from the last cursor", () => {
    let state = initialRows(page([row(5), row(4), row(3)], { hasNextPage: true, totalCount: 5 }));
    expect(nextCursor(state)).toBe("c3");
    state = rowsReducer(state, {
      type: "more",
      page: page([row(3), row(2), row(1)], { hasNextPage: false, totalCount: 5 }),
    });
    expect(ids(state)).toEqual(["id-005", "id-004", "id-003", "id-002", "id-001"]);
    expect(state.hasMore).toBe(false);
    expect(nextCursor(state)).toBe("c1");
  });

  it("should put a live row on top and count it, then update it in place when its status changes", () => {
    let state = initialRows(page([row(2), row(1)]));
    state = rowsReducer(state, {
      type: "live",
      id: "id-003",
      row: row(3, { status: "PLACED", avgFillPrice: null, cursor: undefined }),
    });
    expect(ids(state)).toEqual(["id-003", "id-002", "id-001"]);
    expect(state.total).toBe(3);
    const filledAt = new Date(Date.UTC(2026, 10, 26, 4, 0, 30)).toISOString();
    state = rowsReducer(state, {
      type: "live",
      id: "id-003",
      row: row(3, { status: "FILLED", updatedAt: filledAt, cursor: undefined }),
    });
    expect(state.rows[0]).toMatchObject({ id: "id-003", status: "FILLED", avgFillPrice: "2501.25" });
    expect(state.total).toBe(3);
  });

  it("should remove a row that the filter no longer shows", () => {
    let state = initialRows(page([row(2), row(1)]));
    state = rowsReducer(state, { type: "live", id: "id-002", row: null });
    expect(ids(state)).toEqual(["id-001"]);
    expect(state.total).toBe(1);
  });

  it("should not let a reload read before a live update put the older status back", () => {
    const filledAt = new Date(Date.UTC(2026, 10, 26, 4, 0, 30)).toISOString();
    let state = initialRows(page([row(1)]));
    state = rowsReducer(state, {
      type: "live",
      id: "id-002",
      row: row(2, { status: "FILLED", updatedAt: filledAt, cursor: undefined }),
    });
    // the reload started before the fill: it has the row as PLACED, and a cursor for it
    state = rowsReducer(state, { type: "page", page: page([row(2, { status: "PLACED" }), row(1)]) });
    expect(state.rows[0]).toMatchObject({ id: "id-002", status: "FILLED", cursor: "c2" });
  });

  it("should keep a live row that is newer than a late reload's newest row", () => {
    let state = initialRows(page([row(1)]));
    state = rowsReducer(state, { type: "live", id: "id-002", row: row(2, { cursor: undefined }) });
    state = rowsReducer(state, { type: "page", page: page([row(1)], { totalCount: 1 }) });
    expect(ids(state)).toEqual(["id-002", "id-001"]);
    expect(state.total).toBe(2);
  });

  it("should keep the rows on screen when a reload failed", () => {
    const state = initialRows(page([row(2), row(1)]));
    const after = rowsReducer(state, { type: "page", page: page([], { failed: true, totalCount: 0 }) });
    expect(after).toBe(state);
  });

  it("should start over for new filters and ignore a load-more answer for the old ones", () => {
    let state = initialRows(page([row(2), row(1)], { hasNextPage: true }));
    state = rowsReducer(state, { type: "page", page: page([row(9)], { searchKey: "status=REJECTED" }) });
    expect(ids(state)).toEqual(["id-009"]);
    state = rowsReducer(state, { type: "more", page: page([row(0)], { searchKey: "" }) });
    expect(ids(state)).toEqual(["id-009"]);
  });

  it("should keep loaded older pages when the first page is reloaded", () => {
    let state = initialRows(page([row(4), row(3)], { hasNextPage: true, totalCount: 4 }));
    state = rowsReducer(state, { type: "more", page: page([row(2), row(1)], { hasNextPage: false }) });
    // a new execution arrived: the reloaded first page shifted by one
    state = rowsReducer(state, { type: "page", page: page([row(5), row(4)], { hasNextPage: true, totalCount: 5 }) });
    expect(ids(state)).toEqual(["id-005", "id-004", "id-003", "id-002", "id-001"]);
    expect(state.hasMore).toBe(false);
  });
});
