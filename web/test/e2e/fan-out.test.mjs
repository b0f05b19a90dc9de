// End to end, one strategy on many accounts from the dashboard: the strategy page's "More accounts" section adds
// the trader's DhanHQ account (the simulator) as a target, an alert then trades on both accounts, the multiplier is
// edited, and removing a target with an open position is refused with the reason.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { after, before, test } from "node:test";
import { startDhanSimulators } from "@algodatta/broker-dhan";
import { graphql } from "./support/graphql.mjs";
import { signIn, startStack, stopStack, webRoot } from "./support/stack.mjs";
import { bothWidths } from "./support/screens.mjs";
import { postAlert } from "./support/webhook.mjs";

const ADMIN = { email: "admin@fan-out.e2e.test", password: `Adm1n-${randomBytes(6).toString("hex")}` };
const USER = { email: `fan-${randomBytes(4).toString("hex")}@e2e.test`, password: "correct-horse-battery" };
const SIM = { clientId: "1000000077", accessToken: "sim-fan-out-token-0123456789" };
// A second DhanHQ account of the same trader (issue 18: two accounts at one broker), on the same simulated host
const SIM2 = { clientId: "1000000078", accessToken: "sim-fan-out-token-second-0123456789" };

const stack = {};
let dhan;
let sim;
let token = "";
const strategy = { id: "", secret: "" };

before(async () => {
  dhan = await startDhanSimulators([SIM, SIM2], { prices: { 2885: "2500" } });
  sim = dhan.accounts[SIM.clientId];
  await startStack(stack, {
    admin: ADMIN,
    apiEnv: {
      BROKER_DHAN_BASE_URL: dhan.url,
      BROKER_DHAN_ORDER_UPDATES_URL: sim.wsUrl,
      BROKER_PAPER_SLIPPAGE_BPS: "0",
      BROKER_DHAN_INSTRUMENTS_SOURCE: resolve(webRoot, "../api/test/fixtures/dhan/api-scrip-master-sample.csv"),
      BROKER_DHAN_INSTRUMENTS_ON_START: "true",
    },
  });
  const { register } = await graphql(
    stack.apiUrl,
    "mutation($i: RegisterInput!) { register(input: $i) { accessToken } }",
    { i: USER },
  );
  token = register.accessToken;
  await graphql(
    stack.apiUrl,
    "mutation($i: ConnectBrokerInput!) { connectBroker(input: $i) { id } }",
    { i: { broker: "dhan", clientId: SIM.clientId, accessToken: SIM.accessToken } },
    token,
  );
  const { createStrategy } = await graphql(
    stack.apiUrl,
    "mutation($i: StrategyInput!) { createStrategy(input: $i) { id } }",
    { i: { name: "Fan out", symbol: "RELIANCE", timeframe: "5", qty: 1, mode: "PAPER" } },
    token,
  );
  strategy.id = createStrategy.id;
  const { deployStrategy } = await graphql(
    stack.apiUrl,
    "mutation($id: ID!) { deployStrategy(id: $id) { webhookSecret } }",
    { id: strategy.id },
    token,
  );
  strategy.secret = deployStrategy.webhookSecret;
});
after(async () => {
  await stopStack(stack);
  await dhan?.close();
});

const targets = async () =>
  (
    await graphql(
      stack.apiUrl,
      "query($id: ID!) { strategy(id: $id) { targets { id mode broker multiplier accountStatus } } }",
      { id: strategy.id },
      token,
    )
  ).strategy.targets;

test("a trader adds their Dhan account to a paper strategy, an alert trades on both, and the multiplier is edited", async () => {
  const { page } = stack;
  await signIn(stack, page, USER);
  await page.waitForURL(`${stack.webUrl}/`);
  await page.goto(`${stack.webUrl}/strategies/${strategy.id}`);
  const section = page.getByTestId("strategy-targets");
  await section.getByText("Only this strategy's own account.").waitFor();
  // The only choice is the Dhan account: the strategy itself is on paper
  const options = await section.getByLabel("Account").locator("option").allTextContents();
  assert.equal(options.length, 1);
  assert.match(options[0], /^dhan \S*0077$/);
  await section.getByLabel("Multiplier", { exact: true }).fill("2");
  await section.getByRole("button", { name: "Add account" }).click();
  await page.getByTestId("toast").getByText("Account added").waitFor();
  await section.getByTestId("strategy-target").getByText("dhan · CONNECTED").waitFor();
  const [target] = await targets();
  assert.deepEqual(target, {
    id: target.id,
    mode: "LIVE",
    broker: "dhan",
    multiplier: "2",
    accountStatus: "CONNECTED",
  });

  const reply = await postAlert(stack.apiBase, {
    secret: strategy.secret,
    idempotency_key: `fan-${randomBytes(4).toString("hex")}`,
    side: "BUY",
    qty: 2,
    price: 2500,
  });
  assert.equal(reply.status, 202);
  assert.equal(reply.body.targets[0].status, "accepted", JSON.stringify(reply.body));

  await section.getByLabel(/Multiplier for/).fill("0.5");
  await section.getByRole("button", { name: "Save" }).click();
  await page.getByTestId("toast").getByText("Multiplier saved.").waitFor();
  assert.equal((await targets())[0].multiplier, "0.5");
});

test("a test alert on a fanned-out strategy shows each target's answer under the strategy's own", async () => {
  const { page } = stack;
  const panel = page.locator("section", { has: page.getByRole("heading", { name: "Send a test alert" }) });
  await panel.getByRole("button", { name: "Send test alert" }).click();
  await panel.getByTestId("test-alert-status").waitFor();
  const line = panel.getByTestId("test-alert-target");
  await line.first().waitFor();
  const lines = (await line.allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim());
  assert.equal(lines.length, 1);
  // The Dhan target (multiplier 0.5) would refuse a qty-1 alert: its own status and reason, the strategy's 202 above
  assert.match(lines[0], /^dhan \S*0077 \(LIVE\) · HTTP 422 · size_too_small Dry run \(LIVE account\)/);
  assert.equal(await panel.getByTestId("test-alert-status").textContent(), "HTTP 202");
});

test("removing a target with orders or an open position is refused, with the reason on the page", async () => {
  const { page } = stack;
  const { executions } = await graphql(
    stack.apiUrl,
    "{ executions(first: 10) { edges { node { strategyId status } } } }",
    {},
    token,
  );
  assert.ok(executions.edges.some((e) => e.node.strategyId !== strategy.id));
  const section = page.getByTestId("strategy-targets");
  await section.getByRole("button", { name: "Remove" }).click();
  await section
    .getByRole("alert")
    .getByText(/cannot remove/)
    .waitFor();
  assert.equal((await targets()).length, 1);
});

test("a trader connects a second Dhan account under a label, sees both on the broker page, and can add it as a target", async () => {
  const { page } = stack;
  await page.goto(`${stack.webUrl}/broker`);
  await page.getByLabel("Account label").fill("Dhan wife");
  await page.getByLabel("Client id").fill(SIM2.clientId);
  await page.getByLabel("Access token").fill(SIM2.accessToken);
  await page.getByRole("button", { name: "Connect DhanHQ account" }).click();
  await page.getByText("Connected Dhan wife: dhan accepted the token.").waitFor();
  const listed = page.getByTestId("broker-accounts-dhan").getByTestId("broker-account-item");
  assert.deepEqual(
    (await listed.allTextContents()).map((t) => t.replace(/\s+/g, " ").trim()),
    ["DhanHQ account · ******0077 · CONNECTED (default)", "Dhan wife · ******0078 · CONNECTED"],
  );
  const titles = await page.getByTestId("broker-account-title").allTextContents();
  assert.deepEqual(titles, ["DhanHQ account", "DhanHQ account · Dhan wife"]);
  assert.ok(!(await page.content()).includes(SIM2.accessToken), "the token is not sent back to the page");
  // Each account's session and safety controls are headed by its account, and no control's name is ambiguous
  assert.deepEqual(await page.getByTestId("live-controls-title").allTextContents(), [
    "Session and safety at DhanHQ",
    "Session and safety at DhanHQ · Dhan wife",
  ]);
  assert.equal(await page.getByRole("heading", { name: "Positions at the broker · Dhan wife" }).count(), 1);
  assert.equal(await page.getByRole("heading", { name: "Holdings · Dhan wife" }).count(), 1);
  assert.equal(await page.getByLabel("Trading PIN").count(), 2);
  for (const account of ["DhanHQ account", "Dhan wife"]) {
    assert.equal(await page.getByLabel(`Trading PIN (${account})`, { exact: true }).count(), 1);
    assert.equal(await page.getByLabel(`TOTP secret (${account})`, { exact: true }).count(), 1);
    assert.equal(await page.getByLabel(`Loss (₹) (${account})`, { exact: true }).count(), 1);
    assert.equal(await page.getByLabel(`I understand the risk (${account})`, { exact: true }).count(), 1);
    assert.equal(
      await page.getByRole("button", { name: `Turn on automatic login (${account})`, exact: true }).count(),
      1,
    );
  }
  const ids = await page.evaluate(() => [...document.querySelectorAll("[id]")].map((e) => e.id));
  assert.deepEqual(
    ids.filter((id, i) => ids.indexOf(id) !== i),
    [],
    "every id on the page is unique",
  );
  await bothWidths(stack, "/broker", "broker-two-accounts", (p) =>
    p.getByRole("heading", { name: "Session and safety at DhanHQ · Dhan wife" }).waitFor(),
  );

  // The same client id again under another label is refused with the reason
  await page.getByLabel("Account label").fill("Dhan again");
  await page.getByLabel("Client id").fill(SIM2.clientId);
  await page.getByLabel("Access token").fill(SIM2.accessToken);
  await page.getByRole("button", { name: "Connect DhanHQ account" }).click();
  await page
    .locator("#field-clientId-error")
    .getByText(/already connected as your "Dhan wife" dhan account/)
    .waitFor();
  assert.equal(await page.getByTestId("broker-accounts-dhan").getByTestId("broker-account-item").count(), 2);

  // The strategy page offers the second account as a target of its own
  await page.goto(`${stack.webUrl}/strategies/${strategy.id}`);
  const section = page.getByTestId("strategy-targets");
  const options = await section.getByLabel("Account", { exact: true }).locator("option").allTextContents();
  assert.deepEqual(options, ["dhan · Dhan wife ******0078"]);
});

test("the new strategy form offers the Dhan accounts when the trader has two, and the LIVE strategy trades on the one chosen", async () => {
  const { page } = stack;
  await page.goto(`${stack.webUrl}/strategies`);
  const form = page.getByRole("form", { name: "New strategy" });
  // Paper: no account to choose
  assert.equal(await form.getByLabel("Broker account").count(), 0);
  await form.getByLabel("Name").fill("Wife's breakout");
  await form.getByLabel("Symbol").fill("RELIANCE");
  await form.getByLabel("Quantity").fill("1");
  await form.getByLabel("Live (real orders)").check();
  const select = form.getByLabel("Broker account");
  const options = (await select.locator("option").allTextContents()).map((t) => t.replace(/\s+/g, " ").trim());
  assert.deepEqual(options, ["Default account", "dhan ******0077", "dhan · Dhan wife ******0078"]);
  await select.selectOption({ label: "dhan · Dhan wife ******0078" });
  await form.getByRole("button", { name: "Create strategy" }).click();
  await page.getByText("Strategy “Wife's breakout” created.").waitFor();
  const { strategies, brokerAccounts } = await graphql(
    stack.apiUrl,
    "{ strategies { name mode broker brokerAccountId } brokerAccounts { id label } }",
    {},
    token,
  );
  const created = strategies.find((s) => s.name === "Wife's breakout");
  const wife = brokerAccounts.find((a) => a.label === "Dhan wife");
  assert.deepEqual(created, { name: "Wife's breakout", mode: "LIVE", broker: "dhan", brokerAccountId: wife.id });
});
