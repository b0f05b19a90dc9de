import { readAutoLoginForm, readPnlExitForm } from "../../app/lib/broker-controls-form.server";

const form = (fields: Record<string, string | string[]>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) f.append(k, one);
  return f;
};

describe("broker live controls forms", () => {
  it("should accept a PIN and a base32 TOTP secret only with the risk confirmed", () => {
    expect(
      readAutoLoginForm(form({ broker: "dhan", pin: "246810", totpSecret: "jbsw y3dp ehpk 3pxp", understood: "on" })),
    ).toEqual({
      ok: true,
      input: { broker: "dhan", pin: "246810", totpSecret: "JBSWY3DPEHPK3PXP" },
    });
    const refused = readAutoLoginForm(form({ broker: "dhan", pin: "12", totpSecret: "123456" }));
    expect(refused.ok).toBe(false);
    expect(Object.keys(refused.ok ? {} : refused.fieldErrors).sort()).toEqual(["pin", "totpSecret", "understood"]);
    // The values never come back in the errors
    expect(JSON.stringify(refused)).not.toContain("123456");
  });

  it("should read a P&L exit with a profit, a loss or both, in rupees", () => {
    expect(
      readPnlExitForm(form({ broker: "dhan", loss: "1,500.50", products: ["INTRADAY", "CNC"], killSwitch: "on" })),
    ).toEqual({
      ok: true,
      input: { broker: "dhan", loss: "1500.50", products: ["INTRADAY", "CNC"], killSwitch: true },
    });
    expect(readPnlExitForm(form({ broker: "dhan", profit: "2000", products: "INTRADAY" }))).toEqual({
      ok: true,
      input: { broker: "dhan", profit: "2000", products: ["INTRADAY"], killSwitch: false },
    });
    expect(readPnlExitForm(form({ broker: "dhan", products: "INTRADAY" }))).toEqual({
      ok: false,
      fieldErrors: { loss: "Set a profit, a loss, or both." },
    });
    expect(readPnlExitForm(form({ broker: "dhan", loss: "-5", products: "BOGUS" }))).toMatchObject({
      ok: false,
      fieldErrors: { loss: expect.any(String), products: expect.any(String) },
    });
  });
});
