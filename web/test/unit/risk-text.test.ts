import { explainSizing, positionMismatchText } from "../../app/lib/risk-text";

describe("the sizing and position check of an execution, in words", () => {
  it("should explain a sizing decision with its inputs, lots and cap", () => {
    expect(
      explainSizing({
        mode: "RISK_PER_TRADE",
        value: "10000",
        lotSize: "75",
        inputs: { price: "24000", stopLoss: "23950", stopDistance: "50", riskAmount: "10000" },
        computed: "2",
        qty: "2",
        orderQty: "150",
      }),
    ).toBe(
      "Risk per trade: price 24000, stop loss 23950, distance to the stop 50, risk (INR) 10000 → 2 lots of 75 (150 units), rounded down.",
    );
    expect(
      explainSizing({
        mode: "PERCENT_OF_CAPITAL",
        lotSize: "1",
        inputs: { capital: "1000000.00", percent: "50", price: "250" },
        computed: "2000",
        cappedBy: "maxQtyPerOrder",
        qty: "100",
        orderQty: "100",
      }),
    ).toBe(
      "Percent of capital: available funds (INR) 1000000.00, percent 50, price 250 → 100, rounded down; 2000 capped to 100 by maxQtyPerOrder.",
    );
    expect(explainSizing(null)).toBeNull();
  });

  it("should describe a mismatch only when there is one", () => {
    expect(
      positionMismatchText({
        prevMarketPosition: "long",
        prevPositionQty: "1",
        ourPosition: "0",
        mismatch: true,
        action: "flagged",
      }),
    ).toBe("TradingView was long 1 before this alert, the strategy flat: an alert was missed or arrived out of order.");
    expect(
      positionMismatchText({
        prevMarketPosition: "long",
        ourPosition: "-2",
        mismatch: true,
        action: "synced",
        targetPosition: "2",
      }),
    ).toBe(
      "TradingView was long before this alert, the strategy short 2: an alert was missed or arrived out of order. The order went to TradingView's position (2).",
    );
    expect(positionMismatchText({ prevMarketPosition: "long" })).toBeNull();
  });
});
