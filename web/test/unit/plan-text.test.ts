import { explainPlan, readPlan } from "../../app/lib/plan-text";

describe("the pipeline's order decision in words", () => {
  it("should explain a reversal, an exit and TradingView's market position", () => {
    const reverse = readPlan({ rule: "reverse", side: "SELL", qty: "14", positionBefore: "10", positionAfter: "-4" });
    expect(explainPlan(reverse!)).toBe(
      "An opposite signal with the Reverse policy closes the position and opens the alert's quantity the other way: SELL 14: the position went from long 10 to short 4.",
    );
    const exit = readPlan({ rule: "exit", side: "BUY", qty: "1500", positionBefore: "-1500", positionAfter: "0" });
    expect(explainPlan(exit!)).toMatch(/BUY 1,500: the position went from short 1,500 to flat\.$/);
    const market = readPlan({
      rule: "market_position",
      side: "SELL",
      qty: "1",
      positionBefore: "1",
      positionAfter: "0",
      marketPosition: "flat",
      targetPosition: "0",
    });
    expect(explainPlan(market!)).toMatch(/^TradingView reported its strategy flat \(flat\) after its order/);
  });

  it("should ignore what is not a plan", () => {
    expect(readPlan(null)).toBeNull();
    expect(readPlan({ rule: "exit" })).toBeNull();
    expect(readPlan("text")).toBeNull();
  });
});
