import { formatInr, formatPrice, formatQty, groupIndian, sumDecimals } from "../../app/lib/money-format";

describe("money and number formatting", () => {
  it("should group digits the Indian way", () => {
    expect(["1", "123", "1234", "12345", "123456", "1234567", "123456789"].map(groupIndian)).toEqual([
      "1",
      "123",
      "1,234",
      "12,345",
      "1,23,456",
      "12,34,567",
      "12,34,56,789",
    ]);
  });

  it("should show rupees with paise, rounding half up on the digits (no float)", () => {
    expect(formatInr("123456.78")).toBe("₹1,23,456.78");
    expect(formatInr("123456.785")).toBe("₹1,23,456.79");
    expect(formatInr("0.005")).toBe("₹0.01");
    expect(formatInr("999999.995")).toBe("₹10,00,000.00");
    expect(formatInr("-12.5")).toBe("-₹12.50");
    expect(formatInr("-0.001")).toBe("₹0.00");
    expect(formatInr("250", { signed: true })).toBe("+₹250.00");
    expect(formatInr("0", { signed: true })).toBe("₹0.00");
    // 0.1 + 0.2 style cases stay exact
    expect(formatInr("1000000000000.105")).toBe("₹10,00,00,00,00,000.11");
    expect(formatInr(null)).toBe("—");
    expect(formatInr("n/a")).toBe("n/a");
  });

  it("should keep every digit of a price and show at least two decimals", () => {
    expect(formatPrice("2508.7")).toBe("2,508.70");
    expect(formatPrice("2501.25")).toBe("2,501.25");
    expect(formatPrice("0.0025")).toBe("0.0025");
    expect(formatPrice("100.0000")).toBe("100.00");
    expect(formatPrice("123456")).toBe("1,23,456.00");
  });

  it("should show quantities exactly", () => {
    expect(formatQty("-1500")).toBe("-1,500");
    expect(formatQty("14.0000")).toBe("14");
    expect(formatQty("0.5")).toBe("0.5");
    expect(formatQty("-0")).toBe("0");
  });

  it("should add decimal strings exactly", () => {
    expect(sumDecimals(["0.1", "0.2"])).toBe("0.3");
    expect(sumDecimals(["250", "-1250.5", "0.0001"])).toBe("-1000.4999");
    expect(sumDecimals([])).toBe("0");
    expect(sumDecimals(["-0.5", "0.5", null])).toBe("0");
  });
});
