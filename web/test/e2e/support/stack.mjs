// Starts the whole system for one e2e file: a fresh PostgreSQL database, the built api, the built dashboard
// and Chromium. stop() always cleans up, even after a setup that failed halfway.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "./browser.mjs";
import { createDatabase, dropDatabase } from "./database.mjs";
import { freePort } from "./ports.mjs";
import { startService, waitForHttp } from "./services.mjs";

export const webRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const repoRoot = resolve(webRoot, "..");
const apiMain = join(repoRoot, "api/dist/main.js");
const webServer = join(webRoot, "build/server/index.js");

// Git-ignored (web/.gitignore); E2E_SCREENSHOT_DIR puts them elsewhere
export const screenshotDir = process.env.E2E_SCREENSHOT_DIR || join(webRoot, "test/e2e/screenshots");
mkdirSync(screenshotDir, { recursive: true });

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

// apiEnv/webEnv add to (or, set to undefined, remove from) each service's environment; browser: false skips Chromium.
export async function startStack(stack, { admin, accessTokenTtl = "15m", apiEnv = {}, webEnv = {}, browser = true }) {
  assert.ok(existsSync(apiMain), `${apiMain} is missing: build the api first (npm run build at the repo root)`);
  assert.ok(existsSync(webServer), `${webServer} is missing: build the web first (npm run build -w web)`);
  stack.database = await createDatabase();
  const [apiPort, webPort] = [await freePort(), await freePort()];
  stack.apiBase = `http://127.0.0.1:${apiPort}`;
  stack.apiUrl = `${stack.apiBase}/graphql`;
  stack.webUrl = `http://localhost:${webPort}`;

  stack.apiEnv = withoutUndefined({
    ...process.env,
    DASHBOARD_FORWARD_SECRET: randomBytes(24).toString("hex"),
    DATABASE_URL: stack.database.url,
    PORT: String(apiPort),
    SECRET_KEY: randomBytes(24).toString("hex"),
    SEED_ADMIN_EMAIL: admin.email,
    SEED_ADMIN_PASSWORD: admin.password,
    PUBLIC_BASE_URL: stack.apiBase,
    NODE_ENV: "test",
    ACCESS_TOKEN_TTL: accessTokenTtl,
    LOG_LEVEL: "warn",
    // Paper fills whatever the time of day (the tests are not about exchange sessions)
    BROKER_PAPER_MARKET_HOURS: "ignore",
    // LIVE readiness without the network (no egress IP lookup) and whatever the day
    EGRESS_IP_DETECT_URL: "off",
    READINESS_BLOCKING: "token,static_ip,instruments",
    ...apiEnv,
  });
  await startApi(stack);

  // PORT is set to the api's port on purpose: the web must listen on WEB_PORT and ignore PORT.
  const secret = randomBytes(24).toString("hex");
  stack.webEnv = withoutUndefined({
    ...process.env,
    PORT: String(apiPort),
    WEB_PORT: String(webPort),
    API_URL: stack.apiUrl,
    NODE_ENV: "production",
    SESSION_SECRET: secret,
    DASHBOARD_FORWARD_SECRET: stack.apiEnv.DASHBOARD_FORWARD_SECRET,
    ...webEnv,
  });
  await startWeb(stack);

  if (!browser) return stack;
  stack.browser = await launchChromium();
  stack.context = await stack.browser.newContext({ viewport: DESKTOP });
  stack.page = await stack.context.newPage();
  stack.page.setDefaultTimeout(15_000);
  return stack;
}

// Same port, database and keys: a restart as in production (tokens issued before it stay valid).
export async function startApi(stack) {
  stack.api = startService("api", process.execPath, [apiMain], { cwd: repoRoot, env: stack.apiEnv });
  await waitForHttp(stack.api, `${stack.apiBase}/readyz`, { timeoutMs: 90_000 });
}

// Same port and settings: a restart as in production (from stack.webCwd when set, else the web folder).
export async function startWeb(stack) {
  stack.web = startService("web", process.execPath, [join(webRoot, "server/start.js")], {
    cwd: stack.webCwd ?? webRoot,
    env: stack.webEnv,
  });
  await waitForHttp(stack.web, `${stack.webUrl}/login`, { timeoutMs: 30_000 });
}

const withoutUndefined = (env) => Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));

export async function stopStack(stack) {
  // Every step guarded: cleanup must finish even when setup failed halfway.
  await stack.browser?.close().catch(() => {});
  await stack.web?.stop().catch(() => {});
  await stack.api?.stop().catch(() => {});
  if (stack.database) await dropDatabase(stack.database.name);
}

// A phone-sized page signed in as the desktop page is (same cookies at this moment); close its context after use.
// Both must not refresh tokens meanwhile (rotation would revoke the login): use the default 15 min token lifetime.
export async function phonePage(stack) {
  const context = await stack.browser.newContext({ viewport: PHONE, storageState: await stack.context.storageState() });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

export async function signIn(stack, page, { email, password }, loginPath = "/login") {
  await page.goto(`${stack.webUrl}${loginPath}`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOut(page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/login\?notice=signed-out$/);
}
