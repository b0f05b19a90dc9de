import { matchesFilter, readExecutionFilter } from "../../app/lib/execution-filter";
import type { Row } from "../../app/lib/execution-rows";

const base: Row = {
  id: "e1",
  strategyId: "s1",
  symbol: "RELIANCE",
  side: "BUY",
  qty: "1",
  filledQty: "1",
  avgFillPrice: "1",
  charges: "0",
  pnl: null,
  status: "FILLED",
  mode: "PAPER",
  orderType: "MARKET",
  createdAt: "2026-11-25T18:45:00.000Z",
  updatedAt: "2026-11-25T18:45:00.000Z",
};

describe("execution filters", () => {
  it("should read known values and drop malformed ones instead of sending them to the API", () => {
    const { values, filter } = readExecutionFilter(
      new URLSearchParams("status=FILLED&mode=NOPE&symbol=reliance&from=2026-11-26&to=11/26/2026&strategyId=s1"),
    );
    expect(filter).toEqual({ status: "FILLED", symbol: "RELIANCE", from: "2026-11-26", strategyId: "s1" });
    expect(values).toMatchObject({ mode: "", to: "" });
  });

  it("should compare IST days: 18:45 UTC on 25 Nov is 00:15 IST on 26 Nov", () => {
    const none = { strategyId: "", symbol: "", status: "", mode: "", from: "", to: "" };
    expect(matchesFilter(base, { ...none, from: "2026-11-26" })).toBe(true);
    expect(matchesFilter(base, { ...none, to: "2026-11-25" })).toBe(false);
    expect(matchesFilter(base, { ...none, status: "PLACED" })).toBe(false);
    expect(matchesFilter(base, { ...none, symbol: "RELIANCE", strategyId: "s1", mode: "PAPER" })).toBe(true);
  });
});
