import type { StrategyDetailFragment } from "../../app/graphql/generated/graphql";
import { checkStrategyForm } from "../../app/lib/strategy-form.validate";
import { checkSettings, settingsFromStrategy } from "../../app/lib/strategy-settings.validate";

const strategy: StrategyDetailFragment = {
  id: "s1",
  name: "Gas",
  symbol: "NATURALGAS",
  timeframe: "15m",
  qty: "2",
  mode: "PAPER",
  enabled: true,
  userId: "u1",
  deployment: null,
  exchangeSegment: "MCX_COMM",
  productType: "INTRADAY",
  broker: "dhan",
  instrumentOverride: null,
  maxQtyPerOrder: "10",
  maxOpenPosition: null,
  maxDailyLoss: "5000.50",
  tradingWindowStart: null,
  tradingWindowEnd: null,
  allowedSides: "BOTH",
  oppositeSignalPolicy: "REVERSE",
  alertsPerMinute: 60,
  allowedSymbols: [],
  disabledReason: null,
  deployedAt: null,
  maxSignalAgeSeconds: 60,
  cooldownMinutes: null,
  maxTradesPerDay: null,
  syncToTradingView: false,
  sizingMode: "ALERT",
  sizingValue: null,
  requireApproval: false,
  approvalTimeoutMinutes: 5,
  exitDefaults: null,
  createdAt: "2026-11-26T00:00:00.000Z",
  updatedAt: "2026-11-26T00:00:00.000Z",
};

describe("strategy settings form", () => {
  it("should send decimals as the exact strings typed, and leave unset limits out", () => {
    const values = { ...settingsFromStrategy(strategy), maxDailyLoss: "12000.50", tradingWindowStart: "09:15" };
    const checked = checkSettings(values, strategy);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.patch).toMatchObject({
      qty: "2",
      maxDailyLoss: "12000.50",
      maxQtyPerOrder: "10",
      tradingWindowStart: "09:15",
      alertsPerMinute: 60,
    });
    expect(checked.patch.maxOpenPosition).toBeUndefined();
  });

  it("should refuse to empty a limit that is set, since the API would silently keep it", () => {
    const checked = checkSettings({ ...settingsFromStrategy(strategy), maxDailyLoss: "" }, strategy);
    expect(checked).toEqual({ ok: false, fieldErrors: { maxDailyLoss: expect.stringMatching(/cannot be removed/) } });
  });

  it("should name each malformed field", () => {
    const checked = checkSettings(
      { ...settingsFromStrategy(strategy), qty: "1,5", tradingWindowEnd: "25:00", alertsPerMinute: "0" },
      strategy,
    );
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(Object.keys(checked.fieldErrors).sort()).toEqual(["alertsPerMinute", "qty", "tradingWindowEnd"]);
  });

  it("should hold the quantity to the segment's rule, with the API's words: whole lots here, whole shares for equity", () => {
    expect(checkSettings({ ...settingsFromStrategy(strategy), qty: "2.5" }, strategy)).toEqual({
      ok: false,
      fieldErrors: {
        qty: "Quantity must be a whole number of lots (MCX_COMM trades in lots), at least 1, e.g. 1 or 2.",
      },
    });
    expect(
      checkSettings({ ...settingsFromStrategy(strategy), qty: "-5", exchangeSegment: "NSE_EQ" }, strategy),
    ).toEqual({
      ok: false,
      fieldErrors: {
        qty: "Quantity must be a whole number of shares (NSE_EQ trades in shares), at least 1, e.g. 1 or 10.",
      },
    });
    const whole = checkSettings({ ...settingsFromStrategy(strategy), qty: "3.0" }, strategy);
    expect(whole.ok && whole.patch.qty).toBe("3");
  });

  it("should send the other symbols of a multi-symbol strategy as a list, and an empty field as none", () => {
    const listed = checkSettings(
      { ...settingsFromStrategy(strategy), allowedSymbols: "NATGASMINI, MCX:CRUDEOIL1!" },
      strategy,
    );
    expect(listed.ok && listed.patch.allowedSymbols).toEqual(["NATGASMINI", "MCX:CRUDEOIL1!"]);
    const none = checkSettings(settingsFromStrategy(strategy), strategy);
    expect(none.ok && none.patch.allowedSymbols).toEqual([]);
    expect(checkSettings({ ...settingsFromStrategy(strategy), allowedSymbols: "CRUDE OIL?" }, strategy)).toEqual({
      ok: false,
      fieldErrors: { allowedSymbols: expect.stringMatching(/separated by commas/) },
    });
  });
});

describe("signal, protection and sizing settings", () => {
  it("should send the protections as whole numbers, an empty field as null (off), and the sizing mode with its value as typed", () => {
    const checked = checkSettings(
      {
        ...settingsFromStrategy(strategy),
        maxSignalAgeSeconds: "",
        cooldownMinutes: "30",
        maxTradesPerDay: "4",
        sizingMode: "RISK_PER_TRADE",
        sizingValue: "1500.50",
        syncToTradingView: "on",
      },
      strategy,
    );
    expect(checked.ok && checked.patch).toMatchObject({
      maxSignalAgeSeconds: null,
      cooldownMinutes: 30,
      maxTradesPerDay: 4,
      sizingMode: "RISK_PER_TRADE",
      sizingValue: "1500.50",
      syncToTradingView: true,
    });
    expect(settingsFromStrategy(strategy)).toMatchObject({
      maxSignalAgeSeconds: "60",
      cooldownMinutes: "",
      sizingMode: "ALERT",
      sizingValue: "",
      syncToTradingView: "",
    });
  });

  it("should refuse a sizing mode without its value and protections that are not whole numbers", () => {
    const checked = checkSettings(
      {
        ...settingsFromStrategy(strategy),
        sizingMode: "PERCENT_OF_CAPITAL",
        cooldownMinutes: "0",
        maxTradesPerDay: "1.5",
      },
      strategy,
    );
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(Object.keys(checked.fieldErrors).sort()).toEqual(["cooldownMinutes", "maxTradesPerDay", "sizingValue"]);
  });
});

describe("approval settings", () => {
  it("should send requireApproval from the checkbox and the timeout as whole minutes, and refuse 0 or more than a day", () => {
    expect(settingsFromStrategy(strategy)).toMatchObject({ requireApproval: "", approvalTimeoutMinutes: "5" });
    const checked = checkSettings(
      { ...settingsFromStrategy(strategy), requireApproval: "on", approvalTimeoutMinutes: "15" },
      strategy,
    );
    expect(checked.ok && checked.patch).toMatchObject({ requireApproval: true, approvalTimeoutMinutes: 15 });
    for (const bad of ["0", "1441", "2.5", ""]) {
      const refused = checkSettings({ ...settingsFromStrategy(strategy), approvalTimeoutMinutes: bad }, strategy);
      expect(!refused.ok && Object.keys(refused.fieldErrors)).toEqual(["approvalTimeoutMinutes"]);
    }
  });
});

describe("default exits", () => {
  it("should send the exits as typed (percent or points), all empty as null, and name a malformed one", () => {
    expect(settingsFromStrategy(strategy)).toMatchObject({ exitStopLoss: "", exitAfterMinutes: "" });
    const none = checkSettings(settingsFromStrategy(strategy), strategy);
    expect(none.ok && none.patch.exitDefaults).toBeNull();
    const set = checkSettings(
      { ...settingsFromStrategy(strategy), exitStopLoss: "1.5%", exitTrailingStop: "10", exitAfterMinutes: "30" },
      strategy,
    );
    expect(set.ok && set.patch.exitDefaults).toEqual({
      stopLoss: "1.5%",
      takeProfit: null,
      trailingStop: "10",
      breakevenAt: null,
      exitAfterMinutes: 30,
    });
    const shown = settingsFromStrategy({
      ...strategy,
      exitDefaults: { stopLoss: "20pts", takeProfit: "2%", trailingStop: null, breakevenAt: null, exitAfterMinutes: 5 },
    });
    expect(shown).toMatchObject({ exitStopLoss: "20pts", exitTakeProfit: "2%", exitAfterMinutes: "5" });
    const bad = checkSettings(
      { ...settingsFromStrategy(strategy), exitStopLoss: "2450", exitTakeProfit: "-1%", exitAfterMinutes: "0" },
      strategy,
    );
    expect(!bad.ok && Object.keys(bad.fieldErrors).sort()).toEqual([
      "exitAfterMinutes",
      "exitStopLoss",
      "exitTakeProfit",
    ]);
  });
});

describe("the broker of a strategy", () => {
  it("should keep a paper strategy's stored broker when the form sends none (the field is off on paper)", () => {
    const checked = checkSettings({ ...settingsFromStrategy(strategy), broker: "" }, strategy);
    expect(checked.ok).toBe(true);
    expect(checked.ok && "broker" in checked.patch).toBe(false);
  });

  it("should need a live broker, never the paper one, once the mode is Live", () => {
    expect(checkSettings({ ...settingsFromStrategy(strategy), mode: "LIVE", broker: "" }, strategy)).toEqual({
      ok: false,
      fieldErrors: { broker: "Choose the broker that places this strategy's live orders." },
    });
    expect(checkSettings({ ...settingsFromStrategy(strategy), mode: "LIVE", broker: "paper" }, strategy).ok).toBe(
      false,
    );
    const live = checkSettings({ ...settingsFromStrategy(strategy), mode: "LIVE", broker: "dhan" }, strategy);
    expect(live.ok && live.patch).toMatchObject({ mode: "LIVE", broker: "dhan" });
  });
});

describe("new strategy form", () => {
  const values = {
    name: "Gas",
    symbol: "NATURALGAS",
    timeframe: "15m",
    qty: "1",
    mode: "PAPER",
    exchangeSegment: "MCX_COMM",
  };

  it.each([
    ["1.5", "NSE_EQ", "Quantity must be a whole number of shares (NSE_EQ trades in shares), at least 1, e.g. 1 or 10."],
    ["0.5", "MCX_COMM", "Quantity must be a whole number of lots (MCX_COMM trades in lots), at least 1, e.g. 1 or 2."],
    ["-5", "NSE_EQ", "Quantity must be a whole number of shares (NSE_EQ trades in shares), at least 1, e.g. 1 or 10."],
  ])("should refuse %s for %s, saying what is allowed", (qty, exchangeSegment, message) => {
    expect(checkStrategyForm({ ...values, qty, exchangeSegment })).toEqual({
      ok: false,
      fieldErrors: { qty: message },
    });
  });

  it("should pass whole lots with the chosen segment to the API", () => {
    expect(checkStrategyForm({ ...values, qty: "2" })).toEqual({ ok: true, input: { ...values, qty: "2" } });
  });

  it("should pass the chosen broker account for a LIVE strategy only", () => {
    const account = "7f0c8a52-4a4e-4c53-9d1e-1b2c3d4e5f60";
    expect(checkStrategyForm({ ...values, mode: "LIVE", brokerAccountId: account })).toEqual({
      ok: true,
      input: { ...values, mode: "LIVE", brokerAccountId: account },
    });
    expect(checkStrategyForm({ ...values, brokerAccountId: account })).toEqual({ ok: true, input: values });
    expect(checkStrategyForm({ ...values, mode: "LIVE", brokerAccountId: "" })).toEqual({
      ok: true,
      input: { ...values, mode: "LIVE" },
    });
  });
});
