import { EMAIL_MAX_LENGTH, isEmailAddress, PASSWORD_MAX_LENGTH, readCredentials } from "../../app/lib/auth-form.server";

const form = (email: string, password: string) => {
  const data = new FormData();
  data.set("email", email);
  data.set("password", password);
  return data;
};

// The old check, a backtracking regex, took seconds on these (quadratic in the length after the "@")
const crafted = (length: number) => `a@${".".repeat(length)}@`;

describe("sign-in and register form checks", () => {
  it("should accept a plain address and a good password", () => {
    expect(readCredentials(form("  Trader@Example.com ", "password-123"), "register")).toEqual({
      ok: true,
      credentials: { email: "Trader@Example.com", password: "password-123" },
    });
  });

  it("should refuse what is not an address", () => {
    for (const email of [
      "",
      "trader",
      "@example.com",
      "trader@",
      "trader@example",
      "trader@.com",
      "trader@example.",
      "a b@example.com",
      "a@b@example.com",
    ]) {
      expect(isEmailAddress(email)).toBe(false);
    }
    for (const email of ["a@b.co", "first.last+tag@sub.example.in", "a@b.c.", "x@.b.c"])
      expect(isEmailAddress(email)).toBe(true);
  });

  it("should refuse a 100 KB crafted email at once, without echoing it back", () => {
    const started = Date.now();
    const checked = readCredentials(form(crafted(100_000), "password-123"), "login");
    // generous: the old regex needs several seconds here, the new check microseconds
    expect(Date.now() - started).toBeLessThan(1000);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.state.fieldErrors?.email).toMatch(/valid email/);
    expect(checked.state.email).toBe("");
  });

  it("should check a long crafted value in linear time even without the length cap", () => {
    const started = Date.now();
    expect(isEmailAddress(crafted(100_000), Infinity)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("should cap both fields at the API's limits", () => {
    const longEmail = `${"a".repeat(EMAIL_MAX_LENGTH)}@example.com`;
    const tooLong = readCredentials(form(longEmail, "p".repeat(PASSWORD_MAX_LENGTH + 1)), "login");
    expect(tooLong).toEqual({
      ok: false,
      state: {
        email: "",
        fieldErrors: {
          email: "Enter a valid email address.",
          password: `Use at most ${PASSWORD_MAX_LENGTH} characters.`,
        },
      },
    });
  });
});
