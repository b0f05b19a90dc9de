import { endOfIstDay, readApiKeyForm } from "../../app/lib/api-key-form.server";

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};
const NOW = new Date("2026-12-01T20:00:00.000Z"); // 02 Dec 01:30 IST

describe("API key form", () => {
  it("should end a key's last day at IST midnight", () => {
    expect(endOfIstDay("2026-12-31")).toBe("2026-12-31T18:30:00.000Z");
  });

  it("should turn the choices into the api's input", () => {
    expect(readApiKeyForm(form({ name: " sync ", access: "TRADE", expiresOn: "2026-12-02" }), NOW)).toEqual({
      ok: true,
      input: { name: "sync", scopes: ["READ", "TRADE"], expiresAt: "2026-12-02T18:30:00.000Z" },
    });
    expect(readApiKeyForm(form({ name: "ro", access: "READ", expiresOn: "" }), NOW)).toEqual({
      ok: true,
      input: { name: "ro", scopes: ["READ"], expiresAt: null },
    });
  });

  it("should name each mistake beside its field", () => {
    const result = readApiKeyForm(form({ name: "", access: "ADMIN", expiresOn: "2026-12-01" }), NOW);
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { name: expect.any(String), access: expect.any(String), expiresOn: "Choose today or a later day." },
    });
    expect(readApiKeyForm(form({ name: "x", access: "READ", expiresOn: "2026-02-30" }), NOW)).toMatchObject({
      ok: false,
      fieldErrors: { expiresOn: expect.stringMatching(/Enter a date/) },
    });
  });
});
