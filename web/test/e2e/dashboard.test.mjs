// End to end: the real api (fresh PostgreSQL database) and the built dashboard, driven in Chromium.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { graphql } from "./support/graphql.mjs";
import { decodeSessionCookie, SESSION_COOKIE } from "./support/session-cookie.mjs";
import { screenshotDir, signIn as signInAt, signOut, startStack, stopStack } from "./support/stack.mjs";

const ACCESS_TOKEN_TTL_S = 4; // short, so the refresh path runs for real during the test
const ADMIN = { email: "admin@e2e.test", password: `Adm1n-${randomBytes(6).toString("hex")}` };
const USER = { email: `trader-${randomBytes(4).toString("hex")}@e2e.test`, password: "correct-horse-battery" };

const env = { database: null, api: null, web: null, browser: null, context: null, page: null, apiUrl: "", webUrl: "" };

before(() => startStack(env, { admin: ADMIN, accessTokenTtl: `${ACCESS_TOKEN_TTL_S}s` }));

after(() => stopStack(env));

const signIn = (page, credentials, loginPath) => signInAt(env, page, credentials, loginPath);

async function sessionCookie() {
  const cookies = await env.context.cookies(env.webUrl);
  return cookies.find((c) => c.name === SESSION_COOKIE);
}

test("a signed-out visitor is sent to /login, remembering the page", async () => {
  const { page } = env;
  await page.goto(`${env.webUrl}/strategies`);
  await page.waitForURL(/\/login\?redirectTo=%2Fstrategies$/);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
});

test("register shows field errors, then creates the account and signs in", async () => {
  const { page } = env;
  await page.goto(`${env.webUrl}/register`);
  await page.getByLabel("Email").fill(USER.email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.locator('[data-field-error="password"]').waitFor();

  await page.getByLabel("Password").fill(USER.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(`${env.webUrl}/`);
  assert.equal(await page.getByTestId("me-email").textContent(), USER.email);
  assert.equal(await page.getByTestId("account-email").textContent(), USER.email);

  const cookie = await sessionCookie();
  assert.ok(cookie, "session cookie is set");
  assert.equal(cookie.httpOnly, true, "tokens must not be readable by page scripts");
  assert.equal(cookie.secure, true, "production cookies are Secure");
  assert.ok(!(await page.evaluate(() => document.cookie)).includes(SESSION_COOKIE));
});

test("sign out revokes the session at the API; a wrong password is refused clearly; then sign in", async () => {
  const { page } = env;
  const { refreshToken } = decodeSessionCookie((await sessionCookie()).value);
  await signOut(page);
  await page.getByText("You have been signed out.").waitFor();
  assert.equal(await sessionCookie(), undefined, "session cookie removed");
  const refresh = "mutation($t: String!) { refreshToken(token: $t) { accessToken } }";
  await assert.rejects(
    graphql(env.apiUrl, refresh, { t: refreshToken }),
    /UNAUTHENTICATED/,
    "a copied cookie is useless after sign-out",
  );

  await signIn(page, { email: USER.email, password: "not-the-password" });
  const banner = page.locator(".banner-error");
  await banner.waitFor();
  assert.match(await banner.textContent(), /invalid|incorrect|wrong/i);
  assert.match(page.url(), /\/login/);

  // An off-site redirectTo is ignored: the user lands on the dashboard, not on another host.
  await signIn(page, USER, "/login?redirectTo=%2F%2Fevil.example%2F");
  await page.waitForURL(`${env.webUrl}/`);
  assert.equal(await page.getByTestId("me-email").textContent(), USER.email);
  // No strategy yet: a welcome and the first steps, not "Welcome back"
  await page.getByRole("heading", { name: "Welcome to AlgoDatta" }).waitFor();
  await page.getByTestId("getting-started").waitFor();
});

test("create a strategy and see it in the list", async () => {
  const { page } = env;
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Strategies" }).click();
  await page.waitForURL(`${env.webUrl}/strategies`);
  await page.getByText("No strategies yet").waitFor();

  await page.getByLabel("Name").fill("E2E Breakout");
  await page.getByLabel("Symbol").fill("naturalgas");
  await page.getByLabel("Timeframe").selectOption("15m");
  await page.getByLabel("Exchange segment").selectOption("MCX_COMM");
  await page.getByLabel("Quantity").fill("2");
  await page.getByRole("button", { name: "Create strategy" }).click();
  await page.getByText("Strategy “E2E Breakout” created.").waitFor();

  const row = page.getByTestId("strategy-table").locator("tbody tr");
  await row.filter({ hasText: "E2E Breakout" }).waitFor();
  assert.equal(await row.count(), 1);
  const cells = await row.first().locator("td").allTextContents();
  // Name, symbol and timeframe, mode, status (not deployed yet), today's P&L, last signal, qty
  assert.deepEqual(cells, [
    "E2E Breakout",
    "NATURALGAS · 15m",
    "PAPER",
    "Enablednot deployed",
    "₹0.00",
    "none yet",
    "2",
  ]);
});

test("a bad quantity shows a field error saying what the segment allows", async () => {
  const { page } = env;
  const qtyError = page.locator('[data-field-error="qty"]');

  await page.getByLabel("Name").fill("Bad qty");
  await page.getByLabel("Symbol").fill("RELIANCE");
  await page.getByLabel("Quantity").fill("-5");
  await page.getByRole("button", { name: "Create strategy" }).click();
  await qtyError.waitFor();
  assert.match(await qtyError.textContent(), /whole number of shares \(NSE_EQ trades in shares\), at least 1/);
  assert.equal(await page.getByLabel("Quantity").getAttribute("aria-invalid"), "true");

  // Half a lot: the same rule as the API and the webhook, in lots for a derivative segment
  await page.getByLabel("Exchange segment").selectOption("NSE_FNO");
  await page.getByLabel("Quantity").fill("0.5");
  await page.getByRole("button", { name: "Create strategy" }).click();
  await page.getByText(/whole number of lots \(NSE_FNO/).waitFor();
  assert.match(
    await qtyError.textContent(),
    /whole number of lots \(NSE_FNO trades in lots\), at least 1, e\.g\. 1 or 2/,
  );
  await page.screenshot({ path: join(screenshotDir, "strategies-qty-error.png"), fullPage: true });
  assert.equal(await page.getByTestId("strategy-table").locator("tbody tr").count(), 1, "nothing was created");
});

test("an expired access token is refreshed once and the new pair is stored", async () => {
  const { page } = env;
  const before = decodeSessionCookie((await sessionCookie()).value);
  await page.waitForTimeout((ACCESS_TOKEN_TTL_S + 1.5) * 1000);
  await page.reload();
  await page.getByTestId("strategy-table").waitFor();
  const afterRefresh = decodeSessionCookie((await sessionCookie()).value);
  assert.notEqual(afterRefresh.refreshToken, before.refreshToken, "refresh token rotated");
  assert.notEqual(afterRefresh.accessToken, before.accessToken);

  // The spent refresh token no longer works at the API (rotation), so the stored pair is the live one.
  await assert.rejects(
    graphql(env.apiUrl, "mutation($t: String!) { refreshToken(token: $t) { accessToken } }", {
      t: before.refreshToken,
    }),
  );

  const file = join(screenshotDir, "strategies.png");
  await page.screenshot({ path: file, fullPage: true });
  console.log(`# screenshot: ${file}`);
});

test("the seeded admin signs in (back to the page asked for) and sees the admin role", async () => {
  const { page } = env;
  await page.goto(`${env.webUrl}/`);
  await signOut(page);
  await page.goto(`${env.webUrl}/strategies`);
  await page.waitForURL(/\/login\?redirectTo=%2Fstrategies$/);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${env.webUrl}/strategies`);
  await page.getByRole("heading", { name: "Strategies" }).waitFor();

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
  await page.waitForURL(`${env.webUrl}/`);
  assert.equal(await page.getByTestId("me-email").textContent(), ADMIN.email);
  await page.getByText("ADMIN", { exact: true }).waitFor();
  await page.screenshot({ path: join(screenshotDir, "home-admin.png"), fullPage: true });
});

test("a disabled user is told so at sign-in", async () => {
  const { page } = env;
  const { login } = await graphql(env.apiUrl, "mutation($i: LoginInput!) { login(input: $i) { accessToken } }", {
    i: ADMIN,
  });
  const { users } = await graphql(env.apiUrl, "{ users { id email } }", {}, login.accessToken);
  const trader = users.find((u) => u.email === USER.email);
  assert.ok(trader, "registered user is listed for the admin");
  await graphql(
    env.apiUrl,
    "mutation($id: ID!) { setUserStatus(id: $id, status: DISABLED) { status } }",
    { id: trader.id },
    login.accessToken,
  );

  await signOut(page);
  await signIn(page, USER);
  const banner = page.locator(".banner-error");
  await banner.waitFor();
  assert.match(await banner.textContent(), /disabled/i);
  await page.screenshot({ path: join(screenshotDir, "login-disabled.png"), fullPage: true });
});
