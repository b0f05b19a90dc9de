import { formatIst, formatIstClock, formatIstCompact, istDay } from "../../app/lib/ist-time";

describe("IST times", () => {
  it("should show UTC instants in IST (+05:30), across the date line", () => {
    expect(formatIst("2026-11-25T18:30:00.000Z")).toBe("26 Nov 2026, 00:00:00 IST");
    expect(formatIst("2026-11-26T05:15:06.120Z")).toBe("26 Nov 2026, 10:45:06 IST");
    expect(formatIstClock("2026-11-26T05:15:06.120Z")).toBe("10:45:06.120");
    expect(formatIstCompact("2026-12-31T18:29:59.000Z")).toBe("31 Dec 23:59:59");
    expect(istDay("2026-12-31T18:30:00.000Z")).toBe("2027-01-01");
  });

  it("should show a dash for a missing or invalid time", () => {
    expect(formatIst(null)).toBe("—");
    expect(formatIst("not a date")).toBe("—");
  });
});
