// End to end, the pages a trader uses every day, at 1280 px and at 390 px: Home at a glance, strategies with a test
// alert, the deploy card's warnings, executions with reasons and decisions, positions with Close, the broker page
// against the DhanHQ simulator, the account page, the admin's view. Screenshots of every page at both widths go to
// web/test/e2e/screenshots (git-ignored).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { after, before, test } from "node:test";
import { startDhanSimulator } from "@algodatta/broker-dhan";
import { graphql } from "./support/graphql.mjs";
import * as screens from "./support/screens.mjs";
import { assertFits, assertSelectsFit, assertWraps, shot, text } from "./support/screens.mjs";
import {
  DESKTOP,
  PHONE,
  phonePage,
  screenshotDir,
  signIn,
  signOut,
  startStack,
  stopStack,
  webRoot,
} from "./support/stack.mjs";
import { postAlert } from "./support/webhook.mjs";

const ADMIN = { email: "admin@pages.e2e.test", password: `Adm1n-${randomBytes(6).toString("hex")}` };
const USER = { email: `pages-${randomBytes(4).toString("hex")}@e2e.test`, password: "correct-horse-battery" };
const SIM_CLIENT_ID = "1000000001";
const SIM_TOKEN = "sim-access-token-0123456789";
const HOLDING = {
  exchange: "NSE",
  tradingSymbol: "TCS",
  securityId: "11536",
  isin: "INE467B01029",
  totalQty: 5,
  dpQty: 5,
  t1Qty: 0,
  availableQty: 5,
  collateralQty: 0,
  avgCostPrice: 3500.5,
  lastTradedPrice: 3610,
};

const stack = {};
let sim;
const strategy = { url: "", id: "", secret: "" };

before(async () => {
  sim = await startDhanSimulator({ clientId: SIM_CLIENT_ID, accessToken: SIM_TOKEN, holdings: [HOLDING] });
  await startStack(stack, {
    admin: ADMIN,
    apiEnv: {
      BROKER_DHAN_BASE_URL: sim.url,
      BROKER_DHAN_ORDER_UPDATES_URL: sim.wsUrl,
      BROKER_PAPER_SLIPPAGE_BPS: "0",
      BROKER_DHAN_INSTRUMENTS_SOURCE: resolve(webRoot, "../api/test/fixtures/dhan/api-scrip-master-sample.csv"),
    },
  });
});
after(async () => {
  await stopStack(stack);
  await sim?.close();
  console.log(`# screenshots: ${screenshotDir}`);
});

const nav = (page) => page.getByRole("navigation", { name: "Main" });

// The reports page's controls as a trader sees them at 1280 px: both CSV buttons the same size, and the filters'
// labels on one line with controls of one height (date, select and text inputs differed by a few pixels)
async function assertReportControlsLineUp(page) {
  await page.goto(`${stack.webUrl}/reports`);
  const csv = await page.getByTestId("export-executions").boundingBox();
  const trips = await page.getByTestId("export-trades").boundingBox();
  assert.equal(Math.round(csv.height), Math.round(trips.height), "the CSV buttons differ in height");
  const filters = await page.getByRole("form", { name: "Filter the report" }).evaluate((form) =>
    [...form.querySelectorAll("label")].map((label) => ({
      name: label.firstElementChild.textContent,
      labelTop: Math.round(label.firstElementChild.getBoundingClientRect().top),
      controlHeight: Math.round(label.lastElementChild.getBoundingClientRect().height),
    })),
  );
  assert.equal(filters.length, 5);
  for (const f of filters) {
    assert.equal(f.labelTop, filters[0].labelTop, `the ${f.name} label is not in line with ${filters[0].name}`);
    assert.equal(f.controlHeight, filters[0].controlHeight, `the ${f.name} control differs in height`);
  }
}
const bothWidths = (path, name, ready) => screens.bothWidths(stack, path, name, ready);

test("a new trader is welcomed (not welcomed back) and shown the first steps", async () => {
  const { page } = stack;
  await page.goto(`${stack.webUrl}/register`);
  await page.getByLabel("Email").fill(USER.email);
  await page.getByLabel("Password").fill(USER.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(`${stack.webUrl}/`);
  await page.getByRole("heading", { name: "Welcome to AlgoDatta" }).waitFor();
  assert.equal(await page.getByRole("heading", { name: "Welcome back" }).count(), 0);
  await page.getByTestId("getting-started").getByRole("link", { name: "Create a strategy" }).waitFor();
  await page.getByText("No executions yet.").waitFor();
  await bothWidths("/", "home-new", (p) => p.getByTestId("getting-started").waitFor());
});

test("at 390 px the navigation folds behind a Menu button and every link, Dead letters too, fits on screen", async () => {
  const phone = await phonePage(stack);
  try {
    await phone.goto(`${stack.webUrl}/`);
    const deadLetters = nav(phone).getByRole("link", { name: "Dead letters" });
    assert.equal(await deadLetters.isVisible(), false, "folded away until the menu opens");
    const menu = phone.getByRole("button", { name: "Menu" });
    assert.equal(await menu.getAttribute("aria-expanded"), "false");
    // By keyboard: the skip link, the brand, then the Menu button
    await phone.keyboard.press("Tab");
    assert.equal(await phone.evaluate(() => document.activeElement?.textContent), "Skip to content");
    await phone.keyboard.press("Tab");
    await phone.keyboard.press("Tab");
    await phone.keyboard.press("Enter");
    await deadLetters.waitFor();
    assert.equal(await phone.getByRole("button", { name: "Close menu" }).getAttribute("aria-expanded"), "true");
    const box = await deadLetters.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, `Dead letters at ${box.x}..${box.x + box.width}`);
    await phone.getByRole("button", { name: "Sign out" }).waitFor();
    await assertFits(phone, "open menu");
    await shot(phone, `nav-open-${PHONE.width}`);
    await deadLetters.click();
    await phone.waitForURL(`${stack.webUrl}/dead-letters`);
    await phone.getByRole("heading", { name: "Dead letters" }).waitFor();
    await shot(phone, `nav-after-${PHONE.width}`);
    assert.equal(await deadLetters.isVisible(), false, "the menu closes after navigating");
  } finally {
    await phone.context().close();
  }
  // At desktop width the links are in the bar, no menu button
  const { page } = stack;
  await page.goto(`${stack.webUrl}/`);
  assert.equal(await page.getByRole("button", { name: "Menu" }).isVisible(), false);
  await nav(page).getByRole("link", { name: "Dead letters" }).waitFor();
});

test("a paper strategy's broker reads Paper, not DhanHQ; deploying warns about a local webhook URL; the message is shown again masked; rotate and reveal", async () => {
  const { page } = stack;
  await page.goto(`${stack.webUrl}/strategies`);
  await page.getByText("No strategies yet.").waitFor();
  await page.getByLabel("Name").fill("Reliance paper");
  await page.getByLabel("Symbol").fill("RELIANCE");
  await page.getByLabel("Quantity").fill("10");
  await page.getByRole("button", { name: "Create strategy" }).click();
  await page.getByText("Strategy “Reliance paper” created.").waitFor();
  await page.getByRole("link", { name: "Reliance paper" }).click();
  await page.getByRole("heading", { name: "Reliance paper" }).waitFor();
  strategy.url = page.url();
  strategy.id = strategy.url.split("/").pop();

  const broker = page.getByLabel("Broker");
  assert.equal(await broker.isDisabled(), true);
  assert.equal(await text(broker.locator("option:checked")), "Paper (simulated)");
  // Switching the form to Live offers the live brokers, without the paper one
  await page.getByLabel("Mode").selectOption("LIVE");
  const liveBroker = page.getByLabel("Broker (live orders)");
  assert.deepEqual(await liveBroker.locator("option").allTextContents(), ["DhanHQ"]);
  await page.getByLabel("Mode").selectOption("PAPER");
  await page.getByLabel("Max qty per order").fill("100");
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByText("Settings saved.").waitFor();
  assert.equal(await page.getByLabel("Max qty per order").inputValue(), "100");

  await page.getByRole("button", { name: "Deploy to TradingView" }).click();
  strategy.secret = (await page.getByTestId("webhook-secret").textContent()).trim();
  const warning = page.getByTestId("webhook-url-warning");
  assert.match(
    await text(warning),
    /TradingView cannot use this webhook URL.*only this machine or its network can reach.*Set PUBLIC_BASE_URL/,
  );
  await shot(page, `strategy-deployed-${DESKTOP.width}`);

  // Later: the same message, secret masked, and no copy of a useless secret
  await page.reload();
  const masked = JSON.parse(await page.getByTestId("alert-message-masked").textContent());
  assert.equal(masked.secret, "whsec_********");
  assert.equal(await page.getByTestId("webhook-secret").count(), 0);
  assert.ok(!(await page.content()).includes(strategy.secret), "the secret is not on the page any more");
  await page.getByTestId("webhook-url-warning").waitFor();

  await page.getByText("Rotate and reveal a new secret", { exact: true }).click();
  await page.getByRole("button", { name: "Yes, rotate the secret" }).click();
  const rotated = (await page.getByTestId("webhook-secret").textContent()).trim();
  assert.match(rotated, /^whsec_/);
  assert.notEqual(rotated, strategy.secret);
  assert.equal(
    (
      await postAlert(stack.apiBase, {
        secret: strategy.secret,
        idempotency_key: "old",
        symbol: "RELIANCE",
        side: "BUY",
        qty: 1,
      })
    ).status,
    401,
  );
  strategy.secret = rotated;
});

test("at 390 px the deploy card's alert message wraps inside its box and Copy copies the whole message", async () => {
  const phone = await phonePage(stack);
  try {
    await phone.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.webUrl });
    await phone.goto(strategy.url);
    await phone.getByText("Rotate and reveal a new secret", { exact: true }).click();
    await phone.getByRole("button", { name: "Yes, rotate the secret" }).click();
    const message = phone.getByTestId("alert-message");
    await message.waitFor();
    await assertWraps(message, `the alert message at ${PHONE.width} px`);
    await assertFits(phone, `the deploy card at ${PHONE.width} px`);
    await shot(phone, `strategy-deployed-${PHONE.width}`);
    await phone.getByRole("button", { name: "Copy Alert message (paste into the TradingView alert)" }).click();
    await phone.getByText("Copied", { exact: true }).waitFor();
    const copied = await phone.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, await message.textContent(), "the whole message, as it is (no line breaks added)");
    strategy.secret = JSON.parse(copied).secret;
    assert.match(strategy.secret, /^whsec_/);
    // Later, masked
    await phone.reload();
    await assertWraps(phone.getByTestId("alert-message-masked"), `the masked alert message at ${PHONE.width} px`);
    await shot(phone, `strategy-deployment-masked-${PHONE.width}`);
  } finally {
    await phone.context().close();
  }
});

test("Send test alert shows the webhook's answer; its execution explains the decision and names the strategy", async () => {
  const { page } = stack;
  await page.goto(strategy.url);
  await page.getByLabel("Side", { exact: true }).selectOption("BUY");
  await page.getByLabel("Price (optional)").fill("2500");
  await page.getByRole("button", { name: "Send test alert" }).click();
  const result = page.getByTestId("test-alert-result");
  await result.waitFor();
  assert.match(await text(page.getByTestId("test-alert-status")), /^HTTP 202$/);
  assert.match(await text(result), /Accepted \(202\): the test alert became a paper order/);
  await shot(page, `strategy-test-alert-${DESKTOP.width}`);

  await result.getByRole("link", { name: "Open its execution" }).click();
  await page.waitForURL(/\/executions\/[^/]+$/);
  await page.getByText("FILLED", { exact: true }).waitFor();
  assert.equal(
    await text(page.getByTestId("execution-decision").locator("p").first()),
    "The alert's own side and quantity: BUY 10: the position went from flat to long 10.",
  );
  assert.equal(await text(page.getByTestId("execution-strategy")), "Reliance paper");
  await page.getByText("Test alert from the dashboard").waitFor();
  await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
  assert.equal(await text(page.getByTestId("live-status")), "Streaming");
  await page.getByTestId("execution-strategy").click();
  await page.waitForURL(strategy.url);
});

test("the executions list says why an order was refused", async () => {
  const { page } = stack;
  // Above the strategy's 100 per order; its price (TradingView's {{close}}) is still the newest price seen
  const refused = await postAlert(stack.apiBase, {
    secret: strategy.secret,
    idempotency_key: "too-big",
    symbol: "RELIANCE",
    side: "BUY",
    qty: 500,
    price: 2600,
  });
  assert.equal(refused.body.reason, "risk_limit");
  await page.goto(`${stack.webUrl}/executions`);
  const row = page.getByTestId("execution-table").locator("tbody tr").filter({ hasText: "REJECTED" });
  await row.waitFor();
  assert.equal(await text(row.getByTestId("execution-reason")), "A risk limit was reached");
  const filled = page.getByTestId("execution-table").locator("tbody tr").filter({ hasText: "FILLED" });
  assert.match(await text(filled.locator("td").nth(1)), /^Reliance paper\s*test$/, "a test alert is marked as one");
  await row.locator("td a").first().click();
  assert.match(
    await text(page.getByTestId("reject-reason")),
    /Refused: A risk limit was reached \(risk_limit\) quantity 500 is above the maximum 100 per order/,
  );
});

test("the strategies list shows today's P&L and the last TradingView signal", async () => {
  const { page } = stack;
  await page.goto(`${stack.webUrl}/strategies`);
  const row = page.getByTestId("strategy-table").locator(`tr[data-strategy-id="${strategy.id}"]`);
  // The opening fill realized only its charges
  assert.match(await text(row.getByTestId("strategy-today-pnl")), /^-₹\d+\.\d\d$/);
  // The refused webhook alert is the last signal (test alerts are not TradingView's)
  assert.match(await text(row.getByTestId("strategy-last-signal")), /^\d{2} [A-Z][a-z]{2} \d{2}:\d{2}:\d{2}$/);
  assert.equal(
    await page.getByRole("columnheader", { name: "Owner" }).count(),
    0,
    "a trader sees only their own strategies",
  );
});

test("positions are marked at the latest known price with totals, and Close (confirmed) flattens one through the pipeline", async () => {
  const { page } = stack;
  await page.goto(`${stack.webUrl}/positions`);
  const row = page.getByTestId("position-table").locator("tbody tr").first();
  assert.equal(await text(row.getByTestId("position-qty")), "10 long");
  assert.equal(await text(row.getByTestId("position-avg")), "2,500.00");
  assert.match(
    await text(row.getByTestId("position-mark")),
    /^2,600\.00\s*\d{2} [A-Z][a-z]{2} \d{2}:\d{2}:\d{2}$/,
    "the refused alert's price, not the fill's",
  );
  assert.equal(await text(row.getByTestId("position-unrealized")), "+₹1,000.00");
  assert.equal(await text(page.getByTestId("position-totals-PAPER").getByTestId("total-unrealized")), "+₹1,000.00");
  await bothWidths("/positions", "positions-open", (p) => p.getByTestId("position-table").waitFor());

  await row.getByText("Close", { exact: true }).click();
  await row.getByRole("button", { name: "Yes, close RELIANCE" }).click();
  await page
    .getByTestId("toast")
    .getByText(/Close of RELIANCE sent/)
    .waitFor();
  await page.getByTestId("toast").getByRole("link", { name: "Follow the EXIT" }).click();
  await page.waitForURL(/\/executions\/[^/]+$/);
  await page.getByText("FILLED", { exact: true }).waitFor();
  await page.getByText("Closed from the dashboard").waitFor();
  assert.match(
    await text(page.getByTestId("execution-decision").locator("p").first()),
    /An EXIT closes the position.*SELL 10: the position went from long 10 to flat\./,
  );

  await page.goto(`${stack.webUrl}/positions`);
  assert.equal(await text(row.getByTestId("position-qty")), "0 flat");
  assert.match(
    await text(row.getByTestId("position-realized")),
    /^\+₹9\d\d\.\d\d$/,
    "+1,000 at 2,600 less both fills' charges",
  );
  assert.equal(await row.getByText("Close", { exact: true }).count(), 0, "nothing left to close");
});

test("Home shows today at a glance: P&L, alerts per minute, trading status, the broker token and the latest executions", async () => {
  const { page } = stack;
  await page.goto(`${stack.webUrl}/`);
  await page.getByRole("heading", { name: "Welcome back" }).waitFor();
  assert.match(await text(page.getByTestId("today-PAPER-pnl")), /^\+₹9\d\d\.\d\d$/);
  assert.equal(await text(page.getByTestId("today-PAPER-open")), "0");
  assert.equal(await page.getByTestId("today-LIVE").count(), 0, "no live trading today: no live card");
  // The test alert and the refused webhook alert; the close is not an alert
  assert.equal(await text(page.getByTestId("alerts-last-hour")), "2");
  assert.match(await page.getByTestId("alerts-sparkline").getAttribute("aria-label"), /2 in total/);
  assert.equal(await text(page.getByTestId("trading-status")), "Running");
  await page.getByText("No broker connected.").waitFor();
  assert.equal(await page.getByTestId("execution-table").locator("tbody tr").count(), 3);
  await bothWidths("/", "home", (p) => p.getByTestId("today").waitFor());
});

test("the broker page connects DhanHQ (a wrong token is refused and never echoed), warns before the token expires, reads funds and holdings, lists plugins, disconnects", async () => {
  const { page } = stack;
  await page.goto(`${stack.webUrl}/broker`);
  await page.getByText("Access DhanHQ APIs").waitFor();
  const plugins = page.getByTestId("broker-plugins");
  assert.match(
    await text(plugins.locator('tr[data-plugin="dhan"]')),
    /DhanHQ dhan .*Place.*Cancel.*Modify.*Positions.*Holdings.*Funds.*stream/,
  );
  await shot(page, `broker-not-connected-${DESKTOP.width}`);

  await page.getByLabel("Client id").fill(SIM_CLIENT_ID);
  await page.getByLabel("Access token").fill("wrong-token-abcdefgh");
  await page.getByRole("button", { name: "Connect DhanHQ" }).click();
  await page.getByText(/dhan refused these credentials/).waitFor();
  assert.ok(!(await page.content()).includes("wrong-token-abcdefgh"), "the token is not sent back to the page");
  assert.equal(await page.getByLabel("Access token").inputValue(), "");
  assert.equal(await page.getByLabel("Client id").inputValue(), SIM_CLIENT_ID);

  await page.getByLabel("Access token").fill(SIM_TOKEN);
  await page.getByRole("button", { name: "Connect DhanHQ" }).click();
  await page.getByText("Connected: dhan accepted the token.").waitFor();
  assert.equal(await text(page.getByTestId("broker-status")), "Expires within a day");
  assert.match(
    await text(page.getByTestId("token-warning")),
    /The access token expires .* IST \(in (23|24) h\)\. Generate a new one/,
  );
  assert.match(
    await text(page.getByTestId("broker-funds")),
    /^Available ₹1,00,00,000\.00 Used margin ₹0\.00 Total ₹1,00,00,000\.00$/i,
  );
  assert.match(
    await text(page.getByTestId("broker-holdings-table").locator("tbody tr")),
    /TCS.*NSE_EQ.*5.*3,500\.50.*3,610\.00/,
  );
  await page.getByText("No open positions at the broker today.").waitFor();
  assert.ok(!(await page.content()).includes(SIM_TOKEN));
  await bothWidths("/broker", "broker", (p) => p.getByTestId("broker-funds").waitFor());

  // Home shows the token's state too
  await page.goto(`${stack.webUrl}/`);
  assert.match(await text(page.getByTestId("broker-token-state")), /dhan Expires within a day/);
});

test("a LIVE strategy's test alert is a dry run that orders nothing", async () => {
  const { page } = stack;
  const { login } = await graphql(stack.apiUrl, "mutation($i: LoginInput!) { login(input: $i) { accessToken } }", {
    i: USER,
  });
  const { createStrategy } = await graphql(
    stack.apiUrl,
    `
      mutation {
        createStrategy(input: { name: "Reliance live", symbol: "RELIANCE", timeframe: "5", qty: 1, mode: LIVE }) {
          id
        }
      }
    `,
    {},
    login.accessToken,
  );
  await graphql(
    stack.apiUrl,
    "mutation($id: ID!) { deployStrategy(id: $id) { webhookUrl } }",
    { id: createStrategy.id },
    login.accessToken,
  );
  const before = sim.requests.filter((r) => r.path === "/orders").length;
  await page.goto(`${stack.webUrl}/strategies/${createStrategy.id}`);
  await page.getByLabel("Price (optional)").fill("2950");
  await page.getByRole("button", { name: "Check a test alert (dry run)" }).click();
  const result = page.getByTestId("test-alert-result");
  await result.waitFor();
  assert.match(await text(result), /Dry run \(LIVE strategy\): .*Nothing was recorded or ordered\./);
  assert.equal(sim.requests.filter((r) => r.path === "/orders").length, before, "no order reached the broker");
  // Made through the API with TradingView's interval "5", it reads 5m like a strategy made in the dashboard
  assert.match(await text(page.locator(".page-head")), /RELIANCE · 5m\b/);
  await page.goto(`${stack.webUrl}/strategies`);
  const rows = page.getByTestId("strategy-table").locator("tbody tr");
  assert.match(await text(rows.filter({ hasText: "Reliance live" })), /RELIANCE · 5m\b/);
  assert.match(await text(rows.filter({ hasText: "Reliance paper" })), /RELIANCE · 5m\b/);
  await bothWidths(`/strategies/${createStrategy.id}`, "strategy-live", (p) =>
    p.getByRole("heading", { name: "Reliance live" }).waitFor(),
  );

  // The account is used by a LIVE strategy now: its readiness shows, with the session and safety controls
  await page.goto(`${stack.webUrl}/broker`);
  const readiness = page.getByTestId("broker-readiness-dhan");
  await readiness.waitFor();
  assert.match(await text(readiness.getByTestId("readiness-token")), /OK Access token lasts the session valid until/);
  assert.match(await text(readiness.getByTestId("readiness-static_ip")), /Unknown .*egress IP is unknown/);
  await page.getByTestId("auto-login-warning").waitFor();
  await page.getByLabel("Trading PIN").fill("246810");
  await page.getByLabel("TOTP secret").fill("JBSWY3DPEHPK3PXP");
  await page.getByRole("button", { name: "Turn on automatic login" }).click();
  await page.getByText("Confirm that you understand the risk.").waitFor();
  assert.ok(!(await page.content()).includes("JBSWY3DPEHPK3PXP"), "the TOTP secret is not sent back to the page");
  await page.getByLabel("Trading PIN").fill("246810");
  await page.getByLabel("TOTP secret").fill("JBSWY3DPEHPK3PXP");
  await page.getByLabel("I understand the risk").check();
  await page.getByRole("button", { name: "Turn on automatic login" }).click();
  await page.getByTestId("auto-login-on").waitFor();
  await page.getByLabel("Loss (₹)").fill("500");
  await page.getByRole("button", { name: "Set the P&L exit" }).click();
  assert.match(await text(page.getByTestId("pnl-exit-active")), /Active today: exit INTRADAY at a loss of ₹500\.00/);
  assert.equal(sim.pnlExit.rule?.status, "ACTIVE");
  await page.getByRole("button", { name: "Also activate DhanHQ's kill switch" }).click();
  await page.getByText("The platform kill switch now also activates the broker's.").waitFor();
  await page.getByRole("button", { name: "Stop the P&L exit" }).click();
  await page.getByText("The P&L exit was stopped.").waitFor();
  await bothWidths("/broker", "broker-live", (p) => p.getByTestId("broker-readiness-dhan").waitFor());

  // Disconnect (confirmed): the token is gone
  await page.goto(`${stack.webUrl}/broker`);
  await page.getByText("Disconnect", { exact: true }).click();
  await page.getByRole("button", { name: "Yes, disconnect DhanHQ" }).click();
  await page.getByText("Disconnected from dhan").waitFor();
  assert.equal(await text(page.getByTestId("broker-status")), "Not connected");
});

test("the account page changes the password (a wrong current one is refused) and lists sessions, this one marked; another is revoked", async () => {
  const { page } = stack;
  const other = await graphql(stack.apiUrl, "mutation($i: LoginInput!) { login(input: $i) { refreshToken } }", {
    i: USER,
  });
  await page.goto(`${stack.webUrl}/account`);
  await page.getByRole("link", { name: USER.email }).waitFor();
  assert.equal(await text(page.getByTestId("account-page-email")), USER.email);
  const sessions = page.getByTestId("session-table").locator("tbody tr");
  assert.ok((await sessions.count()) >= 2);
  assert.equal(await page.getByTestId("session-table").locator('tr[data-current="true"]').count(), 1);
  assert.match(await text(page.getByTestId("session-table").locator('tr[data-current="true"]')), /This session/);
  await shot(page, `account-${DESKTOP.width}`);

  const count = await sessions.count();
  await page
    .getByTestId("session-table")
    .locator("tbody tr:not([data-current])")
    .first()
    .getByRole("button", { name: "Revoke" })
    .click();
  await page.getByText("Session signed out.").waitFor();
  assert.equal(await sessions.count(), count - 1);

  await page.getByLabel("Current password").fill("not-my-password");
  await page.getByLabel("New password", { exact: true }).fill("a-brand-new-password");
  await page.getByLabel("New password again").fill("a-brand-new-password");
  await page.getByRole("button", { name: "Change password" }).click();
  await page.locator('[data-field-error="currentPassword"]').getByText("The current password is not right").waitFor();

  await page.getByLabel("Current password").fill(USER.password);
  await page.getByLabel("New password", { exact: true }).fill("a-brand-new-password");
  await page.getByLabel("New password again").fill("something-else-entirely");
  await page.getByRole("button", { name: "Change password" }).click();
  await page.locator('[data-field-error="confirmPassword"]').waitFor();

  await page.getByLabel("Current password").fill(USER.password);
  await page.getByLabel("New password", { exact: true }).fill("a-brand-new-password");
  await page.getByLabel("New password again").fill("a-brand-new-password");
  await page.getByRole("button", { name: "Change password" }).click();
  await page.getByText("Password changed. Every other session was signed out.").waitFor();
  USER.password = "a-brand-new-password";
  // This browser carries on in the login the API issued; the other login is over
  await page.goto(`${stack.webUrl}/strategies`);
  await page.getByRole("heading", { name: "Strategies" }).waitFor();
  await assert.rejects(
    graphql(stack.apiUrl, "mutation($t: String!) { refreshToken(token: $t) { accessToken } }", {
      t: other.login.refreshToken,
    }),
    /UNAUTHENTICATED/,
  );
  await assert.rejects(
    graphql(stack.apiUrl, "mutation($i: LoginInput!) { login(input: $i) { accessToken } }", {
      i: { ...USER, password: "correct-horse-battery" },
    }),
  );
  await bothWidths("/account", "account", (p) => p.getByTestId("session-table").waitFor());
});

test("the account page creates an API key (its secret shown once, with a copy button), lists it and revokes it after a confirm", async () => {
  const { page } = stack;
  await page.goto(`${stack.webUrl}/account`);
  await page.getByTestId("no-api-keys").waitFor();
  // A mistake is named beside its field and changes nothing
  await page.getByRole("button", { name: "Create API key" }).click();
  await page.getByText("Give the key a name").waitFor();
  await page.getByLabel("Name", { exact: true }).fill("portfolio sync");
  await page.getByLabel("Read and trade").check();
  await page.getByLabel("Last day (IST, optional)").fill("2099-12-31");
  await page.getByRole("button", { name: "Create API key" }).click();
  const created = page.getByTestId("api-key-created");
  await created.waitFor();
  const secret = await text(page.getByTestId("api-key-secret"));
  assert.match(secret, /^adk_/);
  await created.getByRole("button", { name: "Copy API key" }).waitFor();
  await shot(page, `account-api-key-created-${DESKTOP.width}`);
  const row = page.getByTestId("api-key-table").locator("tbody tr");
  assert.equal(await row.count(), 1);
  assert.match(await text(row), /portfolio sync adk_\S*… Read and trade Never 01 Jan 2100, 00:00:00 IST/i);
  assert.ok(
    secret.startsWith((await text(row.locator("td").nth(1))).replace("…", "")),
    "the listed prefix is the secret's start",
  );
  await bothWidths("/account", "account-api-keys", (p) => p.getByTestId("api-key-table").waitFor());

  // The key works like a login; shown once: a reload no longer has it
  const me = await graphql(stack.apiUrl, "{ me { email } }", {}, secret);
  assert.equal(me.me.email, USER.email);
  await page.reload();
  assert.equal(await page.getByTestId("api-key-created").count(), 0);
  assert.ok(!(await page.content()).includes(secret), "the secret is not on the page any more");
  const usedRow = page.getByTestId("api-key-table").locator("tbody tr");
  await usedRow.getByText("Revoke", { exact: true }).click();
  await usedRow.getByRole("button", { name: "Yes, revoke “portfolio sync”" }).click();
  await page.getByText("API key revoked").waitFor();
  await page.getByTestId("no-api-keys").waitFor();
  await assert.rejects(graphql(stack.apiUrl, "{ me { email } }", {}, secret), /UNAUTHENTICATED/);
});

test("every page at 1280 and 390 px: screenshots, nothing wider than the screen", async () => {
  const { page } = stack;
  await page.goto(`${stack.webUrl}/executions`);
  const executionUrl = await page.getByTestId("execution-table").locator("tbody tr td a").first().getAttribute("href");
  await bothWidths("/strategies", "strategies", (p) => p.getByTestId("strategy-table").waitFor());
  // At 390 px a row is a card: every column name in it is in the page's font (a monospaced cell's, QTY, read in mono)
  const phone = await phonePage(stack);
  try {
    await phone.goto(`${stack.webUrl}/strategies`);
    const labelFonts = await phone
      .getByTestId("strategy-table")
      .locator("tbody tr")
      .first()
      .locator("td[data-label]")
      .evaluateAll((cells) => [...new Set(cells.map((c) => getComputedStyle(c, "::before").fontFamily))]);
    assert.equal(labelFonts.length, 1, labelFonts.join(" | "));
  } finally {
    await phone.context().close();
  }
  await bothWidths(new URL(strategy.url).pathname, "strategy", (p) =>
    p.getByRole("heading", { name: "Reliance paper" }).waitFor(),
  );
  await bothWidths("/executions", "executions", (p) => p.getByTestId("execution-table").waitFor());
  await bothWidths(executionUrl, "execution", (p) => p.getByTestId("execution-timeline").waitFor());
  await bothWidths("/positions", "positions", (p) => p.getByTestId("position-table").waitFor());
  await bothWidths("/dead-letters", "dead-letters", (p) => p.getByRole("heading", { name: "Dead letters" }).waitFor());
  await bothWidths("/reports", "reports-one-trip", (p) =>
    p.locator('[data-testid="equity-chart"][data-state="ready"]').waitFor(),
  );
  await assertReportControlsLineUp(page);
  await bothWidths("/notifications", "notifications-empty", (p) => p.getByTestId("no-channels").waitFor());
  await bothWidths("/no-such-page", "not-found", (p) => p.getByRole("heading", { name: "Page not found" }).waitFor());
  // Dark mode follows the system setting
  await page.emulateMedia({ colorScheme: "dark" });
  try {
    for (const [path, name] of [
      ["/", "home"],
      ["/positions", "positions"],
      [new URL(strategy.url).pathname, "strategy"],
      ["/reports", "reports"],
    ]) {
      await page.goto(`${stack.webUrl}${path}`);
      if (name === "reports") await page.locator('[data-testid="equity-chart"][data-state="ready"]').waitFor();
      await shot(page, `${name}-dark-${DESKTOP.width}`);
    }
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    assert.notEqual(background, "rgb(245, 247, 250)", "the dark palette applies");
  } finally {
    await page.emulateMedia({ colorScheme: "light" });
  }
});

test("at 390 px every strategy select shows its options whole: the new strategy form and the settings, paper and live", async () => {
  const phone = await phonePage(stack);
  try {
    await phone.goto(`${stack.webUrl}/strategies`);
    await phone.getByRole("form", { name: "New strategy" }).waitFor();
    await assertSelectsFit(phone, `the new strategy form at ${PHONE.width} px`);
    await phone.goto(strategy.url);
    await phone.getByRole("heading", { name: "Reliance paper" }).waitFor();
    await assertSelectsFit(phone, `the strategy's settings at ${PHONE.width} px`);
    await shot(phone, `strategy-selects-${PHONE.width}`);
    // Live: the live broker's select (and the accounts') instead of Paper's
    await phone.getByLabel("Mode").selectOption("LIVE");
    await phone.getByLabel("Broker (live orders)").waitFor();
    await assertSelectsFit(phone, `the strategy's settings in Live mode at ${PHONE.width} px`);
    await shot(phone, `strategy-selects-live-${PHONE.width}`);
  } finally {
    await phone.context().close();
  }
});

test("the reports charts' price axes give every tick one format, in Indian grouping", async () => {
  const { page } = stack;
  await page.goto(`${stack.webUrl}/reports`);
  for (const chart of ["equity-chart", "daily-chart"]) {
    const frame = page.locator(`[data-testid="${chart}"][data-state="ready"]`);
    await frame.waitFor();
    await page.waitForFunction((id) => document.querySelector(`[data-testid="${id}"]`)?.dataset.priceTicks, chart);
    const axes = JSON.parse(await frame.getAttribute("data-price-ticks"));
    // (an all-zero pane, the drawdown of a curve that never fell, has the one tick "0")
    assert.ok(
      axes.some((labels) => labels.length > 1),
      `${chart}: no axis with several ticks: ${JSON.stringify(axes)}`,
    );
    for (const labels of axes) {
      const decimals = new Set(labels.map((l) => l.split(".")[1]?.length ?? 0));
      assert.equal(decimals.size, 1, `${chart}: one format per axis, got ${labels.join(" | ")}`);
      for (const l of labels) assert.match(l, /^-?(?:\d{1,2}(?:,\d{2})*,\d{3}|\d{1,3})(?:\.\d{2})?$/, `${chart}: ${l}`);
    }
  }
});

test("a day typed wrong in the reports and executions filters is refused with a message saying how to write it", async () => {
  const { page } = stack;
  for (const path of ["/reports", "/executions"]) {
    await page.goto(`${stack.webUrl}${path}`);
    const from = page.getByLabel("From (IST)");
    for (const [typed, message] of [
      ["31/02/2026", "31/02/2026 is not a day of the calendar: write it as dd/mm/yyyy, e.g. 31/12/2026."],
      ["2026/12/31", "Write the day as dd/mm/yyyy, e.g. 31/12/2026."],
    ]) {
      await from.fill(typed);
      await page.getByRole("button", { name: "Apply" }).click();
      assert.equal(await from.evaluate((input) => input.validationMessage), message, `${path}: ${typed}`);
      assert.equal(new URL(page.url()).search, "", `${path}: ${typed} was not sent`);
    }
    // A day as a trader writes it goes through, in the URL as before
    await from.fill("1/3/2026");
    assert.equal(await from.evaluate((input) => input.validationMessage), "");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/from=1%2F3%2F2026/);
  }
  assert.equal(await page.getByLabel("From (IST)").evaluate((input) => input.validationMessage), "");
});

test("the admin's strategies list names each owner and keeps every column on screen at 1280 px", async () => {
  const { page } = stack;
  await page.goto(`${stack.webUrl}/`);
  await signOut(page);
  const signedOutPhone = await (await stack.browser.newContext({ viewport: PHONE })).newPage();
  try {
    for (const [path, name] of [
      ["/login", "login"],
      ["/register", "register"],
    ]) {
      for (const [p, width] of [
        [page, DESKTOP.width],
        [signedOutPhone, PHONE.width],
      ]) {
        await p.goto(`${stack.webUrl}${path}`);
        await assertFits(p, `${name} at ${width} px`);
        await shot(p, `${name}-${width}`);
      }
    }
  } finally {
    await signedOutPhone.context().close();
  }
  await signIn(stack, page, ADMIN);
  await page.waitForURL(`${stack.webUrl}/`);
  // Between phone and desktop: the admin's nine links fold away before they would push the page wider
  for (const width of [1000, 1150, 1151, 1200, 1231, 1280]) {
    await page.setViewportSize({ width, height: DESKTOP.height });
    await page.goto(`${stack.webUrl}/reports`);
    await assertFits(page, `the admin's reports page at ${width} px`);
    // Where the bar shows the account, Sign out stays on one line and the email stays readable (at 1151-1200 px
    // Sign out wrapped and the email had shrunk to nothing)
    const signOut = page.getByRole("button", { name: "Sign out" });
    if (await signOut.isVisible()) {
      const box = await signOut.boundingBox();
      assert.ok(box.height < 40, `Sign out is ${box.height} px tall at ${width} px: it wrapped`);
      const email = await page.getByTestId("account-email").boundingBox();
      assert.ok(email.width >= 100, `the email is ${email.width} px wide at ${width} px`);
    }
  }
  await page.setViewportSize(DESKTOP);
  await page.goto(`${stack.webUrl}/strategies`);
  const table = page.getByTestId("strategy-table");
  const row = table.locator(`tr[data-strategy-id="${strategy.id}"]`);
  assert.equal(await text(row.getByTestId("strategy-owner")), USER.email);
  for (const header of ["Status", "Owner"]) {
    const box = await table.getByRole("columnheader", { name: header }).boundingBox();
    assert.ok(box.x + box.width <= DESKTOP.width - 16, `${header} column ends at ${box.x + box.width} px`);
  }
  await assertFits(page, "admin strategies");
  await bothWidths("/strategies", "strategies-admin", (p) => p.getByTestId("strategy-table").waitFor());
  await bothWidths("/admin", "admin", (p) => p.getByTestId("user-table").waitFor());
});
