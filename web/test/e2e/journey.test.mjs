// The whole journey of a new trader, in one real browser against the real api and dashboard: register, connect
// the DhanHQ simulator, create a LIVE and a PAPER strategy and deploy both, post TradingView alerts (text/plain,
// the deployed message with TradingView's placeholders filled in) and watch the executions arrive live, read the
// report (KPIs computed here by hand from the prices and each fill's charges), download both CSVs, verify a
// Telegram chat against a fake Bot API, and be signed out when an admin disables the account.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { after, before, test } from "node:test";
import { startDhanSimulator } from "@algodatta/broker-dhan";
import pg from "pg";
import { fromUnits, inr, parseCsv, sumUnits, toUnits } from "./support/csv.mjs";
import { startFakeTelegram } from "./support/fake-telegram.mjs";
import { graphql } from "./support/graphql.mjs";
import { bothWidths, shot, text } from "./support/screens.mjs";
import { signIn, startStack, stopStack, webRoot } from "./support/stack.mjs";

const ADMIN = { email: "admin@journey.e2e.test", password: `Adm1n-${randomBytes(6).toString("hex")}` };
const TRADER = { email: `journey-${randomBytes(4).toString("hex")}@e2e.test`, password: "journey-password-1" };
const SIM = { clientId: "1000000042", accessToken: "sim-journey-token-0123456789" };
const RELIANCE = "2885"; // its DhanHQ security id in the instrument fixture
const CHAT = "700100200";

const stack = {};
let sim;
let telegram;
// name -> { id, template (the deployed alert message), position (what TradingView's strategy holds) }
const strategies = {};

before(async () => {
  sim = await startDhanSimulator({ ...SIM, prices: { [RELIANCE]: "2600" } });
  telegram = await startFakeTelegram();
  await startStack(stack, {
    admin: ADMIN,
    apiEnv: {
      DHAN_BASE_URL: sim.url,
      DHAN_ORDER_UPDATES_URL: sim.wsUrl,
      PAPER_SLIPPAGE_BPS: "0",
      DHAN_INSTRUMENTS_URL: resolve(webRoot, "../api/test/fixtures/dhan/api-scrip-master-sample.csv"),
      DHAN_INSTRUMENTS_ON_START: "true",
      TELEGRAM_API_BASE: telegram.url,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_POLL_TIMEOUT_SECONDS: "1",
    },
  });
});
after(async () => {
  await stopStack(stack);
  await sim?.close();
  await telegram?.close();
});

async function createStrategy(page, { name, live }) {
  await page.goto(`${stack.webUrl}/strategies`);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Symbol").fill("RELIANCE");
  await page.getByLabel("Quantity").fill(live ? "1" : "10");
  if (live) await page.getByLabel("Live (real orders)").check();
  await page.getByRole("button", { name: "Create strategy" }).click();
  await page.getByText(`Strategy “${name}” created.`).waitFor();
  await page.getByRole("link", { name }).click();
  await page.getByRole("heading", { name }).waitFor();
  const id = page.url().split("/").pop();
  await page.getByRole("button", { name: "Deploy to TradingView" }).click();
  const template = await page.getByTestId("alert-message").textContent();
  assert.equal(JSON.parse(template).secret, (await page.getByTestId("webhook-secret").textContent()).trim());
  strategies[name] = { id, template, position: 0 };
  return id;
}

// What TradingView posts when the strategy's order fires: the alert message with its placeholders filled in, as
// text/plain (TradingView's content type for a message it does not check as JSON)
let orderId = 0;
async function tradingViewAlert(name, action, contracts, close) {
  const s = strategies[name];
  const previous = s.position;
  s.position += action === "buy" ? contracts : -contracts;
  const position = (n) => (n > 0 ? "long" : n < 0 ? "short" : "flat");
  const values = {
    "strategy.order.id": `order-${++orderId}`,
    ticker: "RELIANCE",
    timenow: new Date().toISOString(),
    "strategy.order.action": action,
    "strategy.order.contracts": String(contracts),
    "strategy.market_position": position(s.position),
    "strategy.position_size": String(s.position),
    close: String(close),
    interval: "5",
    "strategy.prev_market_position": position(previous),
  };
  const body = s.template.replace(/\{\{([a-z_.]+)\}\}/g, (all, key) => values[key] ?? all);
  const res = await fetch(`${stack.apiBase}/api/webhook/tradingview`, {
    method: "POST",
    headers: { "content-type": "text/plain; charset=utf-8" },
    body,
  });
  const reply = await res.json();
  assert.equal(res.status, 202, JSON.stringify(reply));
  return reply;
}

test("a new trader registers, connects the DhanHQ simulator, creates a LIVE and a PAPER strategy and deploys both", async () => {
  const { page } = stack;
  await page.goto(`${stack.webUrl}/register`);
  await page.getByLabel("Email").fill(TRADER.email);
  await page.getByLabel("Password").fill(TRADER.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Welcome to AlgoDatta" }).waitFor();

  await page.goto(`${stack.webUrl}/broker`);
  await page.getByLabel("Client id").fill(SIM.clientId);
  await page.getByLabel("Access token").fill(SIM.accessToken);
  await page.getByRole("button", { name: "Connect DhanHQ" }).click();
  await page.getByText("Connected: dhan accepted the token.").waitFor();

  await createStrategy(page, { name: "Reliance paper", live: false });
  await createStrategy(page, { name: "Reliance live", live: true });
  assert.equal(await text(page.getByLabel("Broker (live orders)").locator("option:checked")), "DhanHQ");
});

test("TradingView alerts become executions that appear live, paper and live (through the simulator)", async () => {
  const { page } = stack;
  await page.goto(`${stack.webUrl}/executions`);
  await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
  await page.evaluate(() => {
    window.__sameDocument = true;
  });
  const filled = page.getByTestId("execution-table").locator("tbody tr").filter({ hasText: "FILLED" });
  const untilFilled = async (n) => {
    const deadline = Date.now() + 20_000;
    while ((await filled.count()) < n) {
      assert.ok(Date.now() < deadline, `${await filled.count()} of ${n} executions FILLED on the page`);
      await page.waitForTimeout(100);
    }
  };
  // Paper: three round trips (+200, -100, +400 before charges); no slippage, so each fills at its {{close}}
  const paper = [
    ["buy", 10, 2500],
    ["sell", 10, 2520],
    ["sell", 5, 2530],
    ["buy", 5, 2550],
    ["buy", 10, 2500],
    ["sell", 10, 2540],
  ];
  let n = 0;
  for (const [action, contracts, close] of paper) {
    await tradingViewAlert("Reliance paper", action, contracts, close);
    await untilFilled(++n);
  }
  // Live: a MARKET order fills at the simulator's price, whatever the alert's {{close}} said (-10 before charges).
  // DhanHQ stamps trades to the second: start in the next second, so the live trip closes after the paper ones
  await new Promise((r) => setTimeout(r, 1100 - (Date.now() % 1000)));
  sim.setPrice(RELIANCE, "2600");
  await tradingViewAlert("Reliance live", "buy", 1, 2598);
  await untilFilled(++n);
  sim.setPrice(RELIANCE, "2590");
  await tradingViewAlert("Reliance live", "sell", 1, 2591);
  await untilFilled(++n);
  assert.equal(await page.evaluate(() => window.__sameDocument), true, "the rows arrived without a page reload");
  assert.equal(await page.getByTestId("execution-table").locator("tbody tr").count(), 8);
  assert.equal(
    sim.requests.filter((r) => r.method === "POST" && r.path === "/orders").length,
    2,
    "the live orders went to the broker",
  );
  await shot(page, "journey-executions-1280");
});

// The trips as the test sees them: entry and exit prices known, charges from each execution
async function handComputedTrips() {
  const { login } = await graphql(stack.apiUrl, "mutation($i: LoginInput!) { login(input: $i) { accessToken } }", {
    i: TRADER,
  });
  const { executions } = await graphql(
    stack.apiUrl,
    `
      {
        executions(first: 50) {
          edges {
            node {
              strategyId
              mode
              side
              filledQty
              avgFillPrice
              charges
              pnl
              createdAt
            }
          }
        }
      }
    `,
    {},
    login.accessToken,
  );
  const rows = executions.edges.map((e) => e.node).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const trips = [];
  for (let i = 0; i < rows.length; i += 2) {
    const [open, close] = [rows[i], rows[i + 1]];
    const qty = toUnits(open.filledQty) / 10_000n;
    const direction = open.side === "BUY" ? 1n : -1n;
    const gross = direction * (toUnits(close.avgFillPrice) - toUnits(open.avgFillPrice)) * qty;
    const charges = toUnits(open.charges) + toUnits(close.charges);
    const net = gross - charges;
    // The executions' own pnl adds up to the same net (the report, the executions and the CSV agree)
    assert.equal(toUnits(open.pnl) + toUnits(close.pnl), net);
    trips.push({ mode: open.mode, gross, charges, net });
  }
  return { trips, rows, token: login.accessToken };
}

// KPIs of a list of trips in closing order, as the report defines them
function kpis(trips) {
  const total = trips.reduce((s, t) => s + t.net, 0n);
  const won = trips.filter((t) => t.net > 0n).reduce((s, t) => s + t.net, 0n);
  const lost = trips.filter((t) => t.net < 0n).reduce((s, t) => s + t.net, 0n);
  let equity = 0n;
  let peak = 0n;
  let drawdown = 0n;
  for (const t of trips) {
    equity += t.net;
    peak = equity > peak ? equity : peak;
    drawdown = peak - equity > drawdown ? peak - equity : drawdown;
  }
  const wins = trips.filter((t) => t.net > 0n).length;
  return {
    net: inr(total, { signed: true }),
    gross: inr(
      trips.reduce((s, t) => s + t.gross, 0n),
      { signed: true },
    ),
    charges: inr(trips.reduce((s, t) => s + t.charges, 0n)),
    winRate: `${((wins / trips.length) * 100).toFixed(2)}%`,
    trades: String(trips.length),
    wonLost: `${wins} / ${trips.length - wins}`,
    profitFactor: lost < 0n ? (Math.round((Number(won) / Number(-lost)) * 10_000) / 10_000).toFixed(2) : "—",
    drawdown: inr(drawdown),
  };
}

test("the Reports page shows the KPIs computed by hand, its charts, the round trips, and filters by mode", async () => {
  const { page } = stack;
  const { trips } = await handComputedTrips();
  assert.deepEqual(
    trips.map((t) => [t.mode, fromUnits(t.gross)]),
    [
      ["PAPER", "200"],
      ["PAPER", "-100"],
      ["PAPER", "400"],
      ["LIVE", "-10"],
    ],
  );
  const all = kpis(trips);

  await page.goto(`${stack.webUrl}/reports`);
  const value = (id) => text(page.getByTestId(`kpi-${id}-value`));
  assert.equal(await value("net"), all.net);
  assert.equal(await text(page.getByTestId("kpi-gross")), all.gross);
  assert.equal(await text(page.getByTestId("kpi-charges")), all.charges);
  assert.equal(await value("win-rate"), all.winRate);
  assert.equal(await text(page.getByTestId("kpi-wins-losses")), all.wonLost);
  assert.equal(await value("trades"), all.trades);
  assert.equal(await value("profit-factor"), all.profitFactor);
  assert.equal(await value("drawdown"), all.drawdown);
  // Every trip closed today (IST): one trading day, so no Sharpe ratio yet
  assert.equal(await value("sharpe"), "—");
  // The charts are drawn after hydration, by the chart library this page alone loads
  await page.locator('[data-testid="equity-chart"][data-state="ready"] canvas').first().waitFor();
  await page.locator('[data-testid="daily-chart"][data-state="ready"] canvas').first().waitFor();
  // Where the curve ends is said under the chart (a last-value tag on the price axis covered its top label)
  const caption = await text(page.getByTestId("equity-caption"));
  assert.ok(caption.includes(`ending at ${all.net};`), caption);
  const tripRows = page.getByTestId("trip-table").locator("tbody tr");
  assert.equal(await tripRows.count(), 4);
  assert.deepEqual(
    await tripRows.getByTestId("trip-net").allInnerTexts(),
    [...trips].reverse().map((t) => inr(t.net, { signed: true })),
    "newest first",
  );
  assert.equal(await text(page.getByTestId("trip-count")), "Showing 4 of 4, newest first");
  await shot(page, "journey-reports-1280");

  await page.getByLabel("Mode").selectOption("PAPER");
  await page.getByRole("button", { name: "Apply" }).click();
  await page.waitForURL(/mode=PAPER/);
  const paper = kpis(trips.filter((t) => t.mode === "PAPER"));
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="trip-table"] tbody tr').length === 3);
  await page.getByText("Showing 3 of 3, newest first").waitFor();
  assert.equal(await value("net"), paper.net);
  assert.equal(await value("win-rate"), paper.winRate);
  assert.equal(await value("profit-factor"), paper.profitFactor);
  assert.equal(await value("drawdown"), paper.drawdown);

  // Quick ranges keep the other filters: today (IST) holds every trip
  const today = new Date(Date.now() + 5.5 * 3600_000).toISOString().slice(0, 10);
  await page.getByRole("navigation", { name: "Quick ranges" }).getByRole("link", { name: "Today" }).click();
  await page.waitForURL(`${stack.webUrl}/reports?from=${today}&to=${today}&mode=PAPER`);
  // The URL changes before the new loader data is rendered: wait for the range, then read the figures
  const todayShown = today.split("-").reverse().join("/");
  await page
    .getByTestId("report-range")
    .filter({ hasText: `${todayShown} to ${todayShown} (IST)` })
    .waitFor();
  assert.equal(await value("net"), paper.net);
  assert.equal(await page.getByRole("link", { name: "Today" }).getAttribute("aria-current"), "true");

  // Days read and are typed as an Indian trader writes them (dd/mm/yyyy), whatever the browser's own locale
  const from = page.getByLabel("From (IST)");
  assert.equal(await from.inputValue(), todayShown);
  assert.equal(await from.getAttribute("placeholder"), "dd/mm/yyyy");
  await from.fill("1/3/2026");
  await page.getByRole("button", { name: "Apply" }).click();
  await page
    .getByTestId("report-range")
    .filter({ hasText: `01/03/2026 to ${todayShown} (IST)` })
    .waitFor();
  assert.equal(await value("net"), paper.net);
  assert.equal(await page.getByLabel("From (IST)").inputValue(), "01/03/2026");

  // A range the wrong way round is named, not a blank page or an error page
  await page.goto(`${stack.webUrl}/reports?from=2026-03-05&to=2026-03-01`);
  await page.getByText("from must not be after to").waitFor();
  assert.equal(await page.getByTestId("report-kpis").count(), 0);
});

// Sixty older trips of the paper strategy's position, written straight into round_trips (sixty through the
// pipeline would take a minute), and removed again: the table shows fifty, "Load more" the rest, each once
test("the round trips table loads older trips with Load more, for the page's filters", async () => {
  const { page } = stack;
  const db = new pg.Client({ connectionString: stack.database.url });
  await db.connect();
  try {
    await db.query(
      `insert into round_trips (id, position_id, strategy_id, user_id, symbol, mode, side, qty, entry_price, exit_price, max_qty,
        turnover, gross_pnl, charges, net_pnl, opened_at, closed_at, fills, closing_fill_id)
      select gen_random_uuid(), p.id, s.id, s.user_id, 'RELIANCE', 'PAPER', 'LONG', 1, 100, 101, 1, 201, 1, 0.5, 0.5,
        timestamptz '2025-06-02 10:00+05:30' + i * interval '1 hour', timestamptz '2025-06-02 10:30+05:30' + i * interval '1 hour', 2, gen_random_uuid()
      from strategies s join positions p on p.strategy_id = s.id and p.mode = 'PAPER', generate_series(1, 60) i
      where s.id = $1`,
      [strategies["Reliance paper"].id],
    );
  } finally {
    await db.end();
  }
  try {
    await page.goto(`${stack.webUrl}/reports?from=2025-01-01&to=2025-12-31`);
    await page.getByText("Showing 50 of 60, newest first").waitFor();
    const rows = page.getByTestId("trip-table").locator("tbody tr");
    assert.equal(await rows.count(), 50);
    assert.equal(await text(rows.first().locator("td").first()), "04 Jun 2025, 22:30:00 IST", "the newest first");
    await page.getByRole("button", { name: "Load more" }).click();
    await page.getByText("Showing 60 of 60, newest first").waitFor();
    assert.equal(
      new Set(
        await page
          .getByTestId("trip-table")
          .locator("tbody tr")
          .evaluateAll((trs) => trs.map((tr) => tr.dataset.tripId)),
      ).size,
      60,
    );
    assert.equal(await text(rows.last().locator("td").first()), "02 Jun 2025, 11:30:00 IST", "the oldest last");
    assert.equal(await page.getByRole("button", { name: "Load more" }).count(), 0, "nothing more to load");
  } finally {
    // Gone again: the tests after this one count the trips the alerts made
    const cleanup = new pg.Client({ connectionString: stack.database.url });
    await cleanup.connect();
    await cleanup
      .query(`delete from round_trips where closed_at < timestamptz '2026-01-01'`)
      .finally(() => cleanup.end());
  }
});

test("Export CSV downloads the executions (and the round trips) for the current filters through the dashboard", async () => {
  const { page } = stack;
  const { trips, rows } = await handComputedTrips();
  await page.goto(`${stack.webUrl}/reports?mode=PAPER`);
  const download = async (testId) => {
    const [file] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testId).click()]);
    assert.match(file.suggestedFilename(), /^algodatta-all-\d{4}-\d{2}-\d{2}\.csv$/);
    return parseCsv(await readFile(await file.path(), "utf8"));
  };
  const executions = await download("export-executions");
  assert.equal(executions.length, 6, "the paper executions only");
  assert.ok(executions.every((r) => r.mode === "PAPER" && r.status === "FILLED" && r.strategy === "Reliance paper"));
  assert.equal(
    sumUnits(executions.map((r) => r.net_pnl)),
    sumUnits(rows.filter((r) => r.mode === "PAPER").map((r) => r.pnl)),
  );
  assert.match(executions[0].time_ist, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

  const roundTrips = await download("export-trades");
  assert.deepEqual(
    roundTrips.map((r) => [r.side, r.qty, r.entry_price, r.exit_price, r.gross_pnl]),
    [
      ["LONG", "10", "2500", "2520", "200"],
      ["SHORT", "5", "2530", "2550", "-100"],
      ["LONG", "10", "2500", "2540", "400"],
    ],
  );
  assert.deepEqual(
    roundTrips.map((r) => toUnits(r.net_pnl)),
    trips.filter((t) => t.mode === "PAPER").map((t) => t.net),
  );
});

test("a Telegram chat is verified with the code the bot sent; a test message and a fill reach it; the log shows them", async () => {
  const { page } = stack;
  await page.goto(`${stack.webUrl}/notifications`);
  await page.getByTestId("no-channels").waitFor();
  await page.getByLabel("Send to").selectOption("TELEGRAM");
  await page.getByLabel("Telegram chat id or email address").fill(CHAT);
  await page.getByRole("button", { name: "Send a verification code" }).click();
  await page.getByTestId("toast").getByText(`A 6-digit code was sent to Telegram chat ${CHAT}`).waitFor();
  const code = /Your code is (\d{6})/.exec(await telegram.waitForMessage(CHAT, /Your code is \d{6}/))[1];
  const channel = page.locator(`[data-verified="false"]`).filter({ hasText: CHAT });
  assert.equal(await text(channel.getByTestId("channel-status")), "Waiting for the code");

  await channel.getByLabel("6-digit code").fill(code === "000000" ? "111111" : "000000");
  await channel.getByRole("button", { name: "Verify" }).click();
  await page.getByText("Wrong code").waitFor();
  await channel.getByLabel("6-digit code").fill(code);
  await channel.getByRole("button", { name: "Verify" }).click();
  await page.getByTestId("toast").getByText(`Verified: notifications now go to ${CHAT}.`).waitFor();
  const verified = page.locator('[data-verified="true"]').filter({ hasText: CHAT });
  assert.equal(await text(verified.getByTestId("channel-status")), "Verified");
  assert.ok(!(await page.content()).includes(code), "the code is never shown by the dashboard");

  await verified.getByRole("button", { name: "Send a test message" }).click();
  await page.getByTestId("toast").getByText("Test message queued").waitFor();
  await telegram.waitForMessage(CHAT, /test/i);
  // By default a fill is sent: one more paper trade reaches the chat
  await tradingViewAlert("Reliance paper", "buy", 10, 2500);
  await telegram.waitForMessage(CHAT, /Reliance paper/);
  const log = page.getByTestId("notification-log");
  const deadline = Date.now() + 15_000;
  for (;;) {
    await page.goto(`${stack.webUrl}/notifications`);
    const sent = await log
      .locator('tr[data-event="TEST"], tr[data-event="ORDER_FILLED"]')
      .filter({ hasText: "SENT" })
      .count();
    if (sent === 2) break;
    assert.ok(Date.now() < deadline, `the log shows ${sent} of 2 messages SENT`);
    await page.waitForTimeout(250);
  }
  // The default list, changed: refusals only
  const defaults = page.getByTestId("prefs-default");
  for (const box of await defaults.locator('input[name="events"]').all()) await box.setChecked(false);
  await defaults.getByLabel(/Order refused/).check();
  await defaults.getByRole("button", { name: "Save the default" }).click();
  await page.getByTestId("toast").getByText("Saved. 1 event will be sent").waitFor();
  assert.deepEqual(
    await page
      .getByTestId("prefs-default")
      .locator('input[name="events"]:checked')
      .evaluateAll((els) => els.map((e) => e.value)),
    ["ORDER_REJECTED"],
  );
  // A strategy's own list replaces the default for it, until it follows the default again
  const paperId = strategies["Reliance paper"].id;
  await page.getByLabel("A different list for one strategy").selectOption({ label: "Reliance paper" });
  await page.getByRole("button", { name: "Start from the default" }).click();
  const own = page.getByTestId(`prefs-${paperId}`);
  await own.waitFor();
  await own.getByLabel(/Alert received/).check();
  await own.getByRole("button", { name: "Save for this strategy" }).click();
  await page.getByTestId("toast").getByText("Saved. 2 events will be sent for this strategy.").waitFor();
  assert.deepEqual(await own.locator('input[name="events"]:checked').evaluateAll((els) => els.map((e) => e.value)), [
    "ORDER_REJECTED",
    "ALERT_RECEIVED",
  ]);
  await shot(page, "notifications-own-list-1280");
  await own.getByRole("button", { name: "Use the default again" }).click();
  await page.getByTestId("toast").getByText("This strategy follows the default list again.").waitFor();
  assert.equal(await page.getByTestId(`prefs-${paperId}`).count(), 0);
  await bothWidths(stack, "/notifications", "notifications", (p) => p.getByTestId("notification-log").waitFor());
  await bothWidths(stack, "/reports", "reports", (p) =>
    p.locator('[data-testid="equity-chart"][data-state="ready"]').waitFor(),
  );
});

test("an admin disables the trader, who is signed out at their next page", async () => {
  const { page } = stack;
  const adminContext = await stack.browser.newContext();
  try {
    const admin = await adminContext.newPage();
    await signIn(stack, admin, ADMIN);
    await admin.waitForURL(`${stack.webUrl}/`);
    await admin.goto(`${stack.webUrl}/admin`);
    const row = admin.getByTestId("user-table").locator(`tr[data-user-email="${TRADER.email}"]`);
    await row.getByRole("button", { name: "Disable" }).click();
    await row.getByText("DISABLED").waitFor();
  } finally {
    await adminContext.close();
  }
  await page.goto(`${stack.webUrl}/reports`);
  await page.waitForURL(/\/login\?/);
  await page.getByText("An administrator disabled this account").waitFor();
  const cookies = await stack.context.cookies();
  assert.equal(cookies.filter((c) => c.name === "__algodatta_session").length, 0, "the session cookie is gone");
  await shot(page, "journey-disabled-1280");
});
