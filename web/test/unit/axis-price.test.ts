import { axisPrice, axisTickLabels } from "../../app/lib/axis-price";

const decimals = (label: string) => label.split(".")[1]?.length ?? 0;

describe("the report charts' price axis", () => {
  it("gives every tick of an axis the same decimals: whole rupees when all are whole", () => {
    // Before: "800.00" beside "1,000" (paise below 1,000 only)
    expect(axisTickLabels([600, 800, 1000, 1200])).toEqual(["600", "800", "1,000", "1,200"]);
  });

  it("shows paise on every tick when one of them has paise", () => {
    const labels = axisTickLabels([999.5, 1000, 1000.5]);
    expect(labels).toEqual(["999.50", "1,000.00", "1,000.50"]);
    expect(new Set(labels.map(decimals)).size).toBe(1);
  });

  it("groups in the Indian way and reads float noise as the whole rupee it is", () => {
    expect(axisTickLabels([-250000, 125000.00000000001, 0])).toEqual(["-2,50,000", "1,25,000", "0"]);
    expect(axisTickLabels([-0.0000000001, 0.5])).toEqual(["0.00", "0.50"]);
  });

  it("shows a single value (the crosshair's) to the paisa", () => {
    expect(axisPrice(1000)).toBe("1,000.00");
    expect(axisPrice(-12.345)).toBe("-12.35");
  });
});
