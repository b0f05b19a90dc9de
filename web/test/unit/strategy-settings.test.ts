import type { StrategyDetailFragment } from "../../app/graphql/generated/graphql";
import { checkSettings, settingsFromStrategy } from "../../app/lib/strategy-settings.validate";

const strategy: StrategyDetailFragment = {
  id: "s1", name: "Gas", symbol: "NATURALGAS", timeframe: "15m", qty: "2.5", mode: "PAPER", enabled: true,
  exchangeSegment: "MCX_COMM", productType: "INTRADAY", broker: "dhan", instrumentOverride: null,
  maxQtyPerOrder: "10", maxOpenPosition: null, maxDailyLoss: "5000.50", tradingWindowStart: null, tradingWindowEnd: null,
  allowedSides: "BOTH", oppositeSignalPolicy: "REVERSE", alertsPerMinute: 60, disabledReason: null, deployedAt: null,
  createdAt: "2026-11-26T00:00:00.000Z", updatedAt: "2026-11-26T00:00:00.000Z",
};

describe("strategy settings form", () => {
  it("should send decimals as the exact strings typed, and leave unset limits out", () => {
    const values = { ...settingsFromStrategy(strategy), maxDailyLoss: "12000.50", tradingWindowStart: "09:15" };
    const checked = checkSettings(values, strategy);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.patch).toMatchObject({ qty: "2.5", maxDailyLoss: "12000.50", maxQtyPerOrder: "10", tradingWindowStart: "09:15", alertsPerMinute: 60 });
    expect(checked.patch.maxOpenPosition).toBeUndefined();
  });

  it("should refuse to empty a limit that is set, since the API would silently keep it", () => {
    const checked = checkSettings({ ...settingsFromStrategy(strategy), maxDailyLoss: "" }, strategy);
    expect(checked).toEqual({ ok: false, fieldErrors: { maxDailyLoss: expect.stringMatching(/cannot be removed/) } });
  });

  it("should name each malformed field", () => {
    const checked = checkSettings({ ...settingsFromStrategy(strategy), qty: "1,5", tradingWindowEnd: "25:00", alertsPerMinute: "0" }, strategy);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(Object.keys(checked.fieldErrors).sort()).toEqual(["alertsPerMinute", "qty", "tradingWindowEnd"]);
  });
});
