import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error plain ESM JavaScript (server/), no type declarations
import { dataDirOf, readOrCreateSecret, trustProxySetting } from "../../server/environment.js";

describe("dashboard server environment", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "algodatta-web-env-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("should make a secret once, private to its owner, and read the same one on every later start", () => {
    const first = readOrCreateSecret(join(dir, "data"), "session-secret");
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dir, "data", "session-secret")).mode & 0o777).toBe(0o600);
    expect(readOrCreateSecret(join(dir, "data"), "session-secret")).toBe(first);
    expect(readOrCreateSecret(join(dir, "data"), "other-secret")).not.toBe(first);
  });

  it("should refuse an empty secret file instead of signing with an empty key", () => {
    writeFileSync(join(dir, "session-secret"), "\n");
    expect(() => readOrCreateSecret(dir, "session-secret")).toThrow(/is empty/);
  });

  it("should find DATA_DIR as the api does: ./.data, or a relative path from the repo root", () => {
    expect(dataDirOf("/repo", {})).toBe("/repo/.data");
    expect(dataDirOf("/repo", { DATA_DIR: "state" })).toBe("/repo/state");
    expect(dataDirOf("/repo", { DATA_DIR: "/var/lib/algodatta" })).toBe("/var/lib/algodatta");
  });

  it("should read WEB_TRUST_PROXY as the api reads TRUST_PROXY: true is one hop, never every hop", () => {
    expect(trustProxySetting(undefined)).toBe(false);
    expect(trustProxySetting("false")).toBe(false);
    expect(trustProxySetting("true")).toBe(1);
    expect(trustProxySetting("2")).toBe(2);
    expect(trustProxySetting("loopback, 10.0.0.0/8")).toBe("loopback, 10.0.0.0/8");
  });
});
