import { dailySeries, dayLabel, equitySeries } from "../../app/lib/chart-series";
import {
  exportHref,
  formatPercent,
  formatRatio,
  quickRanges,
  readReportFilter,
  withRange,
} from "../../app/lib/report-filter";

describe("reports page: filters, export link, chart points", () => {
  it("should keep well-formed filters from the URL and drop the rest", () => {
    const { values, filter } = readReportFilter(
      new URLSearchParams("from=2026-03-02&to=2026-02-30&symbol=reliance&mode=PAPER&strategyId=x'y"),
    );
    expect(values).toEqual({ from: "2026-03-02", to: "", strategyId: "", symbol: "RELIANCE", mode: "PAPER" });
    expect(filter).toEqual({ from: "2026-03-02", symbol: "RELIANCE", mode: "PAPER" });
  });

  it("should link the export with the api's parameter names", () => {
    const { values } = readReportFilter(
      new URLSearchParams("from=2026-03-01&to=2026-03-31&strategyId=abc-1&symbol=TCS&mode=LIVE"),
    );
    expect(exportHref(values, "executions")).toBe(
      "/resources/report-export?from=2026-03-01&to=2026-03-31&strategy_id=abc-1&symbol=TCS&mode=live",
    );
    expect(exportHref(readReportFilter(new URLSearchParams()).values, "trades")).toBe(
      "/resources/report-export?kind=trades",
    );
  });

  it("should show ratios as the API rounded them", () => {
    expect(formatPercent(0.6667)).toBe("66.67%");
    expect(formatPercent(null)).toBe("—");
    expect(formatRatio(1.6667)).toBe("1.67");
    expect(formatRatio(null)).toBe("—");
  });

  it("should start the curve at 0, read IST on the axis and move a trip closed in the same second one second on", () => {
    const { equity, drawdown } = equitySeries([
      { at: "2026-03-02T04:00:00.000Z", equity: "-10", drawdown: "10" },
      { at: "2026-03-02T04:00:00.400Z", equity: "20.5", drawdown: "0" },
      { at: "2026-03-02T05:00:00.000Z", equity: "5", drawdown: "15.5" },
    ]);
    const t0 = Date.parse("2026-03-02T04:00:00.000Z") / 1000 + 19800;
    expect(equity).toEqual([
      { time: t0 - 1, value: 0 },
      { time: t0, value: -10 },
      { time: t0 + 1, value: 20.5 },
      { time: t0 + 3600, value: 5 },
    ]);
    expect(drawdown).toEqual([
      { time: t0 - 1, value: 0 },
      { time: t0, value: -10 },
      { time: t0 + 1, value: 0 },
      { time: t0 + 3600, value: -15.5 },
    ]);
    expect(equitySeries([])).toEqual({ equity: [], drawdown: [] });
  });

  it("should label daily bars by IST day", () => {
    expect(dailySeries([{ date: "2026-03-02", pnl: "-45.5" }])).toEqual([{ time: "2026-03-02", value: -45.5 }]);
    expect(dayLabel("2026-03-02")).toBe("02 Mar");
    expect(dayLabel({ year: 2026, month: 12, day: 1 })).toBe("01 Dec");
    expect(dayLabel(1700000000)).toBeNull();
  });
});

describe("reports page: quick ranges", () => {
  it("should end each range today (IST) and keep the other filters", () => {
    const ranges = quickRanges("2026-03-02");
    expect(ranges.map((r) => [r.label, r.from, r.to])).toEqual([
      ["Today", "2026-03-02", "2026-03-02"],
      ["Last 7 days", "2026-02-24", "2026-03-02"],
      ["Last 30 days", "2026-02-01", "2026-03-02"],
      ["This year", "2026-01-01", "2026-03-02"],
      ["All time", "", ""],
    ]);
    const { values } = readReportFilter(new URLSearchParams("from=2025-01-01&mode=LIVE&symbol=tcs"));
    expect(withRange(values, "2026-02-24", "2026-03-02")).toBe(
      "/reports?from=2026-02-24&to=2026-03-02&symbol=TCS&mode=LIVE",
    );
    expect(withRange(values, "", "")).toBe("/reports?symbol=TCS&mode=LIVE");
  });
});
