import { dayProblem, readDay, showDay } from "../../app/lib/day-field";
import { readApiKeyForm } from "../../app/lib/api-key-form.server";
import { readExecutionFilter } from "../../app/lib/execution-filter";
import { readReportFilter } from "../../app/lib/report-filter";

// Day fields are typed and shown as dd/mm/yyyy; URLs and the API keep ISO days
describe("day fields", () => {
  it.each([
    ["31/12/2026", "2026-12-31"],
    ["1/3/2026", "2026-03-01"],
    ["01-03-2026", "2026-03-01"],
    ["01.03.2026", "2026-03-01"],
    [" 2026-03-01 ", "2026-03-01"],
    ["29/02/2028", "2028-02-29"],
  ])("should read %j as %s", (raw, day) => {
    expect(readDay(raw)).toBe(day);
  });

  it.each(["", "31/02/2026", "12/31/2026", "2026-02-30", "2026/03/01", "tomorrow"])(
    "should read %j as no day",
    (raw) => {
      expect(readDay(raw)).toBe("");
    },
  );

  it("should show an ISO day as dd/mm/yyyy and anything else as typed", () => {
    expect(showDay("2026-03-01")).toBe("01/03/2026");
    expect(showDay("")).toBe("");
    expect(showDay("31/02/2026")).toBe("31/02/2026");
  });

  it("should read the filters' days in either spelling", () => {
    const report = readReportFilter(new URLSearchParams("from=01/03/2026&to=2026-03-31"));
    expect(report.filter).toEqual({ from: "2026-03-01", to: "2026-03-31" });
    const executions = readExecutionFilter(new URLSearchParams("from=5/3/2026&to=31%2F03%2F2026"));
    expect(executions.filter).toEqual({ from: "2026-03-05", to: "2026-03-31" });
  });

  it("should read an API key's last day as dd/mm/yyyy", () => {
    const form = new FormData();
    form.set("name", "k");
    form.set("access", "READ");
    form.set("expiresOn", "02/12/2026");
    expect(readApiKeyForm(form, new Date("2026-12-01T10:00:00Z"))).toMatchObject({
      ok: true,
      input: { expiresAt: "2026-12-02T18:30:00.000Z" },
    });
    form.set("expiresOn", "12/31/2026");
    expect(readApiKeyForm(form, new Date("2026-12-01T10:00:00Z"))).toMatchObject({
      ok: false,
      fieldErrors: { expiresOn: expect.stringMatching(/dd\/mm\/yyyy/) },
    });
  });

  // What a day field tells the trader before the filters are sent (its custom validity)
  it.each([
    ["", ""],
    ["31/12/2026", ""],
    ["1/3/2026", ""],
    ["2026-03-01", ""],
    ["31/02/2026", "31/02/2026 is not a day of the calendar: write it as dd/mm/yyyy, e.g. 31/12/2026."],
    ["2026-02-30", "2026-02-30 is not a day of the calendar: write it as dd/mm/yyyy, e.g. 31/12/2026."],
    ["2026/12/31", "Write the day as dd/mm/yyyy, e.g. 31/12/2026."],
    ["tomorrow", "Write the day as dd/mm/yyyy, e.g. 31/12/2026."],
  ])("should say of %j: %j", (raw, problem) => {
    expect(dayProblem(raw)).toBe(problem);
  });
});
