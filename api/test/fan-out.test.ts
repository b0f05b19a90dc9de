import { errorCode, gql, register, Session } from './harness/graphql-client';
import { createAndDeploy, postAlert, uniqueKey, WebhookReply } from './harness/pipeline';
import {
  connectSim,
  DhanWorld,
  ExecutionRow,
  sql,
  startDhanWorld,
  waitFor,
  waitForExecution,
} from './fixtures/dhan/dhan-kit';

jest.setTimeout(60_000);

const TARGET_FIELDS =
  'id strategyId name mode broker brokerAccountId accountStatus multiplier maxQtyPerOrder maxOpenPosition maxDailyLoss enabled';

// Issue 18, one strategy many accounts: a PAPER strategy that also trades its alerts on the trader's Dhan account
// (the DhanHQ simulator), each account with its own execution, multiplier, idempotency and failures.
describe('one strategy, many accounts', () => {
  let world: DhanWorld;
  let trader: Session;
  let other: Session;
  let dhanAccountId: string;
  let otherAccountId: string;

  beforeAll(async () => {
    world = await startDhanWorld(
      { BROKER_PAPER_SLIPPAGE_BPS: '0', BROKER_PAPER_MARKET_HOURS: 'ignore' },
      { prices: { 2885: '2500', 11536: '4000' } },
    );
    world.sim.setPostbackUrl(world.postbackUrl);
    trader = await register(world.api.url, 'fan-out@example.com');
    other = await register(world.api.url, 'fan-out-other@example.com');
    dhanAccountId = (await connectSim(world.api.url, trader.accessToken)).id;
    otherAccountId = (await connectSim(world.api.url, other.accessToken)).id;
  });
  afterAll(async () => {
    await world.close();
  });

  const addTarget = (strategyId: string, input: Record<string, unknown>, token = trader.accessToken) =>
    gql(
      world.api.url,
      `mutation($s: ID!, $i: StrategyTargetInput!) { addStrategyTarget(strategyId: $s, input: $i) { ${TARGET_FIELDS} } }`,
      { s: strategyId, i: input },
      token,
    );
  const updateTarget = (id: string, input: Record<string, unknown>) =>
    gql(
      world.api.url,
      `mutation($id: ID!, $i: StrategyTargetPatch!) { updateStrategyTarget(id: $id, input: $i) { ${TARGET_FIELDS} } }`,
      { id, i: input },
      trader.accessToken,
    );
  const executionsOf = (strategyId: string) =>
    sql<ExecutionRow & { strategy_id: string }>(
      world.api,
      'select * from executions where strategy_id = $1 order by created_at',
      [strategyId],
    );
  const placements = (from = 0) =>
    world.sim.requests.slice(from).filter((r) => r.method === 'POST' && r.path === '/orders');
  // An alert to a strategy's webhook under a key of its own
  const send = (secret: string, fields: Record<string, unknown>) =>
    postAlert(world.api.url, { secret, idempotency_key: uniqueKey(), ...fields });
  // A LIVE TCS strategy (qty 2 unless said) on the trader's Dhan account, with a paper shadow as its target
  const liveWithShadow = async (strategyInput: Record<string, unknown>, shadowInput: Record<string, unknown>) => {
    const live = await createAndDeploy(world.api.url, trader.accessToken, {
      symbol: 'TCS',
      mode: 'LIVE',
      qty: 2,
      ...strategyInput,
    });
    const target = (await addTarget(live.id, shadowInput)).data!.addStrategyTarget;
    return { live, target, shadow: target.id as string };
  };

  let strategy: { id: string; secret: string };
  let targetId: string;

  it('should add the trader’s Dhan account as a target, and refuse another user’s account, the same account twice and a bad multiplier', async () => {
    strategy = await createAndDeploy(world.api.url, trader.accessToken, {
      name: 'Fan',
      symbol: 'RELIANCE',
      qty: 1,
      alertsPerMinute: 1000,
    });
    const added = await addTarget(strategy.id, {
      brokerAccountId: dhanAccountId,
      multiplier: '2',
      maxQtyPerOrder: '50',
    });
    expect(added.errors).toBeUndefined();
    expect(added.data!.addStrategyTarget).toMatchObject({
      strategyId: strategy.id,
      mode: 'LIVE',
      broker: 'dhan',
      brokerAccountId: dhanAccountId,
      accountStatus: 'CONNECTED',
      multiplier: '2',
      maxQtyPerOrder: '50',
      enabled: true,
    });
    targetId = added.data!.addStrategyTarget.id;

    expect(errorCode(await addTarget(strategy.id, { brokerAccountId: otherAccountId }))).toBe('NOT_FOUND');
    expect(errorCode(await addTarget(strategy.id, { brokerAccountId: dhanAccountId }))).toBe('BAD_USER_INPUT');
    // The strategy itself trades on paper: a paper target would double its orders
    expect(errorCode(await addTarget(strategy.id, {}))).toBe('BAD_USER_INPUT');
    expect(errorCode(await addTarget(strategy.id, { brokerAccountId: dhanAccountId, multiplier: '-1' }))).toBe(
      'BAD_USER_INPUT',
    );
    // Another user cannot add targets to this strategy
    expect(errorCode(await addTarget(strategy.id, { brokerAccountId: otherAccountId }, other.accessToken))).toBe(
      'NOT_FOUND',
    );
    // The target is listed under its strategy, not as a strategy of its own, and has no webhook of its own
    const listed = await gql(
      world.api.url,
      `{ strategies { id targets { ${TARGET_FIELDS} } } }`,
      undefined,
      trader.accessToken,
    );
    expect(listed.data!.strategies).toEqual([
      { id: strategy.id, targets: [expect.objectContaining({ id: targetId, multiplier: '2' })] },
    ]);
    const deploy = await gql(
      world.api.url,
      'mutation($id: ID!) { deployStrategy(id: $id) { webhookSecret } }',
      { id: targetId },
      trader.accessToken,
    );
    expect(errorCode(deploy)).toBe('BAD_USER_INPUT');
  });

  it('should make one execution per account from one alert (qty x multiplier on Dhan), both FILLED, and answer with both', async () => {
    const from = world.sim.requests.length;
    const body = { secret: strategy.secret, idempotency_key: uniqueKey(), side: 'BUY', qty: 3, price: 2500 };
    const reply = await postAlert(world.api.url, body);
    expect(reply.status).toBe(202);
    expect(reply.body).toMatchObject({
      status: 'accepted',
      alert_id: expect.any(String),
      targets: [
        { strategy_id: targetId, status: 'accepted', alert_id: expect.any(String), execution_id: expect.any(String) },
      ],
    });
    const paper = await waitForExecution(world.api, reply.body.alert_id, ['FILLED']);
    const dhan = await waitForExecution(world.api, reply.body.targets[0].alert_id, ['FILLED'], 15_000);
    expect(paper).toMatchObject({ qty: '3.0000', filled_qty: '3.0000' });
    expect(dhan).toMatchObject({ id: reply.body.targets[0].execution_id, qty: '6.0000', filled_qty: '6.0000' });
    expect(placements(from).map((r) => (r.body as { quantity: number }).quantity)).toEqual([6]);
    // Each account has its own position
    const positions = await sql<{ strategy_id: string; mode: string; qty: string }>(
      world.api,
      'select strategy_id, mode, qty from positions where strategy_id = any($1) order by mode',
      [[strategy.id, targetId]],
    );
    expect(positions).toEqual([
      { strategy_id: targetId, mode: 'LIVE', qty: '6.0000' },
      { strategy_id: strategy.id, mode: 'PAPER', qty: '3.0000' },
    ]);

    // The same alert again (TradingView's redelivery): a duplicate on every account, no order anywhere
    const again = await postAlert(world.api.url, body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      status: 'duplicate',
      alert_id: reply.body.alert_id,
      targets: [{ strategy_id: targetId, status: 'duplicate', alert_id: reply.body.targets[0].alert_id }],
    });
    await new Promise((r) => setTimeout(r, 300));
    const keyed = await sql<{ n: string }>(
      world.api,
      `select count(*) as n from executions e join alerts a on a.id = e.alert_id where a.idempotency_key = $1`,
      [body.idempotency_key],
    );
    expect(keyed[0].n).toBe('2');
    expect(placements(from)).toHaveLength(1);
  });

  it('should fill on paper while the Dhan account refuses the order', async () => {
    world.sim.inject({
      kind: 'http_error',
      method: 'POST',
      path: '/orders',
      status: 400,
      body: { errorType: 'Order_Error', errorCode: 'DH-905', errorMessage: 'Invalid quantity' },
      times: -1,
    });
    try {
      const reply = await send(strategy.secret, { side: 'BUY', qty: 1, price: 2500 });
      expect(reply.status).toBe(202);
      const paper = await waitForExecution(world.api, reply.body.alert_id, ['FILLED']);
      expect(paper.filled_qty).toBe('1.0000');
      const dhan = await waitForExecution(world.api, reply.body.targets[0].alert_id, ['REJECTED', 'FAILED'], 15_000);
      expect(dhan.reject_reason).toBeTruthy();
      expect(dhan.filled_qty).toBe('0.0000');
    } finally {
      world.sim.clearFaults();
    }
  });

  it('should round the multiplier down to whole shares, refuse what rounds to nothing, and skip a 0 multiplier', async () => {
    expect((await updateTarget(targetId, { multiplier: '0.5' })).data!.updateStrategyTarget.multiplier).toBe('0.5');
    const from = world.sim.requests.length;
    const half = await send(strategy.secret, { side: 'BUY', qty: 3, price: 2500 });
    const dhan = await waitForExecution(world.api, half.body.targets[0].alert_id, ['FILLED'], 15_000);
    expect(dhan.qty).toBe('1.0000');
    expect(placements(from).map((r) => (r.body as { quantity: number }).quantity)).toEqual([1]);

    const tooSmall = await send(strategy.secret, { side: 'BUY', qty: 1, price: 2500 });
    expect(tooSmall.status).toBe(202);
    expect(tooSmall.body.targets).toEqual([expect.objectContaining({ status: 'rejected', reason: 'size_too_small' })]);
    await waitForExecution(world.api, tooSmall.body.alert_id, ['FILLED']);

    await updateTarget(targetId, { multiplier: '0' });
    const before = (await executionsOf(targetId)).length;
    const skipped = await send(strategy.secret, { side: 'BUY', qty: 4, price: 2500 });
    expect(skipped.body.targets).toEqual([{ strategy_id: targetId, status: 'skipped' }]);
    await waitForExecution(world.api, skipped.body.alert_id, ['FILLED']);
    expect(await executionsOf(targetId)).toHaveLength(before);
    expect(placements(from)).toHaveLength(1);
    await updateTarget(targetId, { multiplier: '1' });
  });

  it('should filter the executions CSV and the report by account', async () => {
    const exportCsv = async (query: Record<string, string>, token = trader.accessToken) => {
      const res = await fetch(`${world.api.url}/api/reports/export?${new URLSearchParams(query)}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const text = await res.text();
      return { status: res.status, lines: text.trim().split('\n') };
    };
    const onDhan = (await executionsOf(targetId)).length;
    const all = await exportCsv({ kind: 'executions' });
    const dhan = await exportCsv({ kind: 'executions', account_id: dhanAccountId });
    expect(dhan.status).toBe(200);
    // A header, then the target's executions only (its name names the account)
    expect(dhan.lines).toHaveLength(1 + onDhan);
    expect(dhan.lines.slice(1).every((l) => l.includes('Fan → dhan'))).toBe(true);
    expect(all.lines.length).toBeGreaterThan(dhan.lines.length);
    // Another user's account: nothing of theirs or ours
    expect((await exportCsv({ kind: 'executions', account_id: otherAccountId })).lines).toHaveLength(1);
    expect((await exportCsv({ kind: 'executions', account_id: 'nope' })).status).toBe(400);
    const report = await gql(
      world.api.url,
      'query($f: ReportFilter) { report(filter: $f) { totalTrades } }',
      { f: { accountId: dhanAccountId } },
      trader.accessToken,
    );
    expect(report.errors).toBeUndefined();
  });

  it('should reject the disconnected account’s execution (broker_not_connected) and still fill on paper', async () => {
    const off = await gql(
      world.api.url,
      'mutation { disconnectBroker(broker: "dhan") }',
      undefined,
      trader.accessToken,
    );
    expect(off.errors).toBeUndefined();
    const reply = await send(strategy.secret, { side: 'SELL', qty: 2, price: 2500 });
    expect(reply.status).toBe(202);
    expect(reply.body.targets).toEqual([
      expect.objectContaining({ strategy_id: targetId, status: 'rejected', reason: 'broker_not_connected' }),
    ]);
    await waitForExecution(world.api, reply.body.alert_id, ['FILLED']);
    const listed = await gql(
      world.api.url,
      `query($id: ID!) { strategy(id: $id) { targets { id accountStatus } } }`,
      { id: strategy.id },
      trader.accessToken,
    );
    expect(listed.data!.strategy.targets).toEqual([{ id: targetId, accountStatus: 'DISCONNECTED' }]);
  });

  it('should shadow a LIVE strategy on paper', async () => {
    await connectSim(world.api.url, trader.accessToken);
    const { live, target } = await liveWithShadow({ name: 'Live with shadow' }, { multiplier: '1' });
    expect(target).toMatchObject({ mode: 'PAPER', brokerAccountId: null });
    const reply = await send(live.secret, { side: 'BUY', price: 4000 });
    expect(reply.status).toBe(202);
    const onDhan = await waitForExecution(world.api, reply.body.alert_id, ['FILLED'], 15_000);
    const onPaper = await waitForExecution(world.api, reply.body.targets[0].alert_id, ['FILLED']);
    expect([onDhan.qty, onPaper.qty]).toEqual(['2.0000', '2.0000']);
    expect(onDhan.id).not.toBe(onPaper.id);
  });

  it("should judge a target's own exit plan at the parent's alert prices: its take profit closes the paper shadow", async () => {
    await connectSim(world.api.url, trader.accessToken);
    const { live, shadow } = await liveWithShadow(
      { name: 'Live with exits', alertsPerMinute: 1000 },
      { multiplier: '1' },
    );
    const planOf = async (strategyId: string) =>
      (
        await sql<{ status: string; take_profit_price: string; exit_reason: string | null }>(
          world.api,
          `select status, take_profit_price::text, exit_reason from exit_plans where strategy_id = $1`,
          [strategyId],
        )
      )[0];
    // A target alone (no stop): emulated on both accounts, so the prices alone decide
    const entry = await send(live.secret, { side: 'BUY', price: 4000, take_profit: 4100 });
    expect(entry.status).toBe(202);
    await waitForExecution(world.api, entry.body.targets[0].alert_id, ['FILLED']);
    await waitFor(async () => (await planOf(shadow))?.status === 'ACTIVE' || undefined, 'the shadow plan', 15_000);
    expect(Number((await planOf(shadow)).take_profit_price)).toBe(4100);

    // A price alert for the strategy through the target: the shadow's plan hears it as the strategy's does
    const price = await send(live.secret, { side: 'PRICE', price: 4101 });
    expect(price.status).toBe(202);
    const exit = await waitFor(
      async () =>
        (
          await sql<{ status: string; qty: string }>(
            world.api,
            `select status, qty::text from executions where strategy_id = $1 and source = 'exit'`,
            [shadow],
          )
        ).find((e) => e.status === 'FILLED'),
      "the shadow's take profit exit",
      15_000,
    );
    expect(exit.qty).toBe('2.0000');
    expect(await planOf(shadow)).toMatchObject({ exit_reason: 'take_profit' });
    const position = await sql<{ qty: string }>(world.api, 'select qty::text from positions where strategy_id = $1', [
      shadow,
    ]);
    expect(position.map((p) => Number(p.qty))).toEqual([0]);
  });
  const TEST_ALERT = `mutation($id: ID!, $side: OrderSide!, $price: Decimal) {
    sendTestAlert(strategyId: $id, side: $side, price: $price) {
      outcome httpStatus response executionId
      targets { strategyId name mode broker outcome httpStatus response message executionId } } }`;
  const targetsOf = async (strategyId: string) =>
    (
      await gql(
        world.api.url,
        `query($id: ID!) { strategy(id: $id) { enabled disabledReason targets { id enabled disabledReason } } }`,
        { id: strategyId },
        trader.accessToken,
      )
    ).data!.strategy;

  type TargetsState = Awaited<ReturnType<typeof targetsOf>>;
  // The strategy and its targets once `settled` holds of them
  const targetsOnce = (strategyId: string, settled: (s: TargetsState) => boolean, what: string) =>
    waitFor(
      async () => {
        const s = await targetsOf(strategyId);
        return settled(s) ? s : undefined;
      },
      what,
      15_000,
    );
  // An alert's execution and its one target's, once both have FILLED
  const bothFilled = async (reply: WebhookReply) => {
    await waitForExecution(world.api, reply.body.alert_id, ['FILLED'], 15_000);
    await waitForExecution(world.api, reply.body.targets[0].alert_id, ['FILLED'], 15_000);
  };
  // A BUY then its EXIT on a strategy with one target, each filled on both before the next
  const enterThenExit = async (secret: string, entryPrice: number, exitPrice: number) => {
    await bothFilled(await send(secret, { side: 'BUY', price: entryPrice }));
    await bothFilled(await send(secret, { side: 'EXIT', price: exitPrice }));
  };

  it("should fan a test alert out: a LIVE target's is a dry run (no Dhan order), a PAPER target's is recorded and fills", async () => {
    await connectSim(world.api.url, trader.accessToken);
    // A paper strategy with a Dhan account as its target
    const paper = await createAndDeploy(world.api.url, trader.accessToken, {
      name: 'Test fan',
      symbol: 'RELIANCE',
      qty: 2,
      alertsPerMinute: 1000,
    });
    const onDhan = (await addTarget(paper.id, { brokerAccountId: dhanAccountId, multiplier: '2' })).data!
      .addStrategyTarget.id;
    const from = world.sim.requests.length;
    const sent = await gql(world.api.url, TEST_ALERT, { id: paper.id, side: 'BUY', price: '2500' }, trader.accessToken);
    expect(sent.errors).toBeUndefined();
    const result = sent.data!.sendTestAlert;
    expect(result).toMatchObject({ outcome: 'sent', httpStatus: 202, response: { status: 'accepted' } });
    expect(result.targets).toEqual([
      {
        strategyId: onDhan,
        name: expect.stringContaining('Test fan → dhan'),
        mode: 'LIVE',
        broker: 'dhan',
        outcome: 'dry_run',
        httpStatus: 202,
        response: { status: 'accepted' },
        message: expect.stringMatching(/^Dry run \(LIVE account\): .* Nothing was recorded or ordered\.$/),
        executionId: null,
      },
    ]);
    const filled = await waitFor(
      async () => (await executionsOf(paper.id)).find((e) => e.id === result.executionId && e.status === 'FILLED'),
      'the test alert filled on paper',
      15_000,
    );
    expect(filled.qty).toBe('2.0000');
    expect(await executionsOf(onDhan)).toHaveLength(0);
    expect(placements(from)).toHaveLength(0);

    // A LIVE strategy with a paper shadow: its own test is a dry run, the shadow's is recorded as a test and fills
    const { live, shadow } = await liveWithShadow({ name: 'Live test fan' }, { multiplier: '0.5' });
    const dry = (await gql(world.api.url, TEST_ALERT, { id: live.id, side: 'BUY', price: '4000' }, trader.accessToken))
      .data!.sendTestAlert;
    expect(dry).toMatchObject({ outcome: 'dry_run', httpStatus: 202, executionId: null });
    expect(dry.targets).toEqual([
      expect.objectContaining({
        strategyId: shadow,
        mode: 'PAPER',
        outcome: 'sent',
        httpStatus: 202,
        response: expect.objectContaining({ status: 'accepted' }),
        executionId: expect.any(String),
      }),
    ]);
    const onPaper = await waitFor(
      async () => (await executionsOf(shadow)).find((e) => e.status === 'FILLED'),
      'the shadow test alert filled',
      15_000,
    );
    expect(onPaper).toMatchObject({ id: dry.targets[0].executionId, qty: '1.0000', source: 'test_alert' });
    expect(await executionsOf(live.id)).toHaveLength(0);
    expect(placements(from)).toHaveLength(0);
  });

  it("should re-check a target's approval on its scaled quantity (maxQtyPerOrder), and fill it", async () => {
    const { live, shadow } = await liveWithShadow(
      { name: 'Gated fan', requireApproval: true, approvalTimeoutMinutes: 10 },
      { multiplier: '0.5', maxQtyPerOrder: '1' },
    );
    // No qty in the alert: the strategy's 2, x 0.5 = 1 on the shadow, within its limit of 1 per order
    const reply = await send(live.secret, { side: 'BUY', price: 4000 });
    expect(reply.status).toBe(202);
    expect(reply.body.targets).toEqual([expect.objectContaining({ strategy_id: shadow, status: 'accepted' })]);
    const waiting = await waitForExecution(world.api, reply.body.targets[0].alert_id, ['AWAITING_APPROVAL'], 15_000);
    expect(waiting.qty).toBe('1.0000');
    const approved = await gql(
      world.api.url,
      'mutation($id: ID!) { approveExecution(id: $id) { id status rejectReason } }',
      { id: waiting.id },
      trader.accessToken,
    );
    expect(approved.errors).toBeUndefined();
    expect(approved.data!.approveExecution.rejectReason).toBeNull();
    const filled = await waitForExecution(world.api, reply.body.targets[0].alert_id, ['FILLED'], 15_000);
    expect(filled.filled_qty).toBe('1.0000');
    const parent = await waitForExecution(world.api, reply.body.alert_id, ['AWAITING_APPROVAL'], 15_000);
    await gql(
      world.api.url,
      'mutation($id: ID!) { rejectExecution(id: $id) { id } }',
      { id: parent.id },
      trader.accessToken,
    );
  });

  it("should stop a strategy's targets when its daily loss limit disables it", async () => {
    const paper = await createAndDeploy(world.api.url, trader.accessToken, {
      name: 'Losing fan',
      symbol: 'RELIANCE',
      qty: 10,
      maxDailyLoss: 500,
      alertsPerMinute: 1000,
    });
    const onDhan = (await addTarget(paper.id, { brokerAccountId: dhanAccountId })).data!.addStrategyTarget.id;
    // Paper sells at 2400 (-1000, past the strategy's limit of 500); Dhan at its own 2500
    await enterThenExit(paper.secret, 2500, 2400);
    const stopped = await targetsOnce(
      paper.id,
      (s) => !s.enabled && !s.targets[0].enabled,
      'the strategy and its target disabled',
    );
    expect(stopped).toEqual({
      enabled: false,
      disabledReason: 'max_daily_loss',
      targets: [{ id: onDhan, enabled: false, disabledReason: 'max_daily_loss' }],
    });
    const from = world.sim.requests.length;
    const next = await send(paper.secret, { side: 'BUY', price: 2500 });
    expect(next.status).toBe(422);
    expect(next.body.targets).toEqual([
      expect.objectContaining({ strategy_id: onDhan, status: 'rejected', reason: 'strategy_disabled' }),
    ]);
    expect(placements(from)).toHaveLength(0);
  });

  it('should disable a target alone when its own daily loss limit is reached', async () => {
    const { live, shadow } = await liveWithShadow({ name: 'Shadow loses', qty: 10 }, { maxDailyLoss: '500' });
    // The shadow sells at the alert's 3900 on paper (-1000); Dhan at its own 4000
    await enterThenExit(live.secret, 4000, 3900);
    const after = await targetsOnce(live.id, (s) => !s.targets[0].enabled, 'the shadow disabled');
    expect(after).toEqual({
      enabled: true,
      disabledReason: null,
      targets: [{ id: shadow, enabled: false, disabledReason: 'max_daily_loss' }],
    });
  });
});
