// Settings the dashboard server needs before the app loads: the repo's .env, and the secrets it keeps in DATA_DIR
// when they are not set, so `npm start` works with no configuration and keeps working across restarts.
import { randomBytes } from "node:crypto";
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const SESSION_SECRET_FILE = "session-secret";
// The api reads the same file (api/src/modules/auth/dashboard-client.ts)
export const DASHBOARD_SECRET_FILE = "dashboard-forward-secret";

// Optional, as for the api; variables already in the environment win over it
export function loadDotEnv(repoRoot) {
  const file = join(repoRoot, ".env");
  if (existsSync(file)) process.loadEnvFile(file);
}

// As the api resolves it: ./.data by default, a relative DATA_DIR taken from the repo root
export const dataDirOf = (repoRoot, env = process.env) => resolve(repoRoot, env.DATA_DIR || ".data");

// A random secret kept in <dir>/<name> (mode 0600): made on first use, the same on every later start. It is
// written under a temporary name and linked into place, so processes starting together all end up with one value.
export function readOrCreateSecret(dir, name) {
  const file = join(dir, name);
  const existing = readSecret(file);
  if (existing !== undefined) return existing;
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${name}.${process.pid}.${randomBytes(6).toString("hex")}`);
  writeFileSync(temp, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600 });
  try {
    linkSync(temp, file);
  } catch (error) {
    if (error.code !== "EEXIST") throw error;
  } finally {
    unlinkSync(temp);
  }
  return readSecret(file);
}

function readSecret(file) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return undefined;
    throw error;
  }
  const secret = text.trim();
  if (!secret) throw new Error(`${file} is empty: delete it (a new secret is made) or put a secret in it`);
  return secret;
}

// SESSION_SECRET and DASHBOARD_FORWARD_SECRET from the environment, else from (or into) DATA_DIR
export function prepareEnvironment(repoRoot) {
  loadDotEnv(repoRoot);
  const dataDir = dataDirOf(repoRoot);
  process.env.SESSION_SECRET ||= readOrCreateSecret(dataDir, SESSION_SECRET_FILE);
  process.env.DASHBOARD_FORWARD_SECRET ||= readOrCreateSecret(dataDir, DASHBOARD_SECRET_FILE);
}

// WEB_TRUST_PROXY for Express's `trust proxy`, read as the api reads TRUST_PROXY: true is one hop, never "all"
export function trustProxySetting(raw = "") {
  const value = raw.trim().toLowerCase();
  if (value === "" || value === "false") return false;
  if (value === "true") return 1;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
