import { startDhanSimulators, type DhanSimulators } from '@algodatta/broker-dhan';
import { errorCode, gql, register, Session } from './harness/graphql-client';
import { createAndDeploy, postAlert, uniqueKey, WebhookReply } from './harness/pipeline';
import { startTestApi, type TestApi } from './harness/test-api';
import { connectBroker, ExecutionRow, MASTER_CSV, postback, sql, waitFor } from './fixtures/dhan/dhan-kit';

jest.setTimeout(90_000);

const MAIN = { clientId: '1000000001', accessToken: 'sim-token-main-0123456789' };
const WIFE = { clientId: '1000000002', accessToken: 'sim-token-wife-0123456789' };
const ACCOUNT = 'id broker label clientIdMasked status';

// Issue 18, many accounts: two DhanHQ accounts of one user (two client ids on one simulated DhanHQ host), a
// strategy fanned out to both. Each order goes on the wire with its own account's credentials, each account has
// its own position and P&L, a postback finds its own account's execution, and one account's expired token does
// not stop the other.
describe('two accounts at one broker', () => {
  let dhan: DhanSimulators;
  let api: TestApi;
  let trader: Session;
  let main: { id: string };
  let wife: { id: string };

  beforeAll(async () => {
    dhan = await startDhanSimulators([MAIN, WIFE], { prices: { 2885: '2500' } });
    try {
      api = await startTestApi({
        BROKER_DHAN_BASE_URL: dhan.url,
        BROKER_DHAN_AUTH_BASE_URL: dhan.authUrl,
        BROKER_DHAN_INSTRUMENTS_SOURCE: MASTER_CSV,
        BROKER_PAPER_SLIPPAGE_BPS: '0',
        BROKER_PAPER_MARKET_HOURS: 'ignore',
        ORDER_POLL_SECONDS: '3600',
        BROKER_PLUGIN_OPTIONS: JSON.stringify({
          dhan: {
            orderUpdatesUrl: 'ws://127.0.0.1:9/order-update',
            reconcileDelayMs: 20,
            orderUpdateBackoff: { initialMs: 60_000, maxMs: 60_000 },
          },
        }),
      });
    } catch (error) {
      await dhan.close();
      throw error;
    }
    await api.services.instrumentMaster.refresh();
    dhan.setPostbackUrl(`${api.url}/api/webhook/dhan/postback`);
    trader = await register(api.url, 'two-accounts@example.com');
  });
  afterAll(async () => {
    await api?.close();
    await dhan?.close();
  });

  const connect = (input: Record<string, unknown>) =>
    gql(
      api.url,
      `mutation($i: ConnectBrokerInput!) { connectBroker(input: $i) { ${ACCOUNT} } }`,
      { i: input },
      trader.accessToken,
    );
  const accounts = async () =>
    (await gql(api.url, `{ brokerAccounts { ${ACCOUNT} } }`, undefined, trader.accessToken)).data!.brokerAccounts;
  const executionsOf = (strategyId: string) =>
    sql<ExecutionRow & { broker_account_id: string; strategy_id: string }>(
      api,
      'select * from executions where strategy_id = $1 order by created_at',
      [strategyId],
    );
  const orders = (clientId: string, from = 0) =>
    dhan.accounts[clientId].requests.slice(from).filter((r) => r.method === 'POST' && r.path === '/orders');
  const waitForStatus = (alertId: string, statuses: string[]) =>
    waitFor(
      async () => {
        const [e] = await sql<ExecutionRow & { broker_account_id: string }>(
          api,
          'select * from executions where alert_id = $1',
          [alertId],
        );
        return e && statuses.includes(e.status) ? e : undefined;
      },
      `execution of ${alertId} in ${statuses.join('|')}`,
      20_000,
    );

  // An alert to a strategy's webhook under a key of its own, accepted (202)
  const sendAccepted = async (secret: string, fields: Record<string, unknown>) => {
    const reply = await postAlert(api.url, { secret, idempotency_key: uniqueKey(), ...fields });
    expect(reply.status).toBe(202);
    return reply;
  };
  // A fanned-out alert's own alert id on each target, by the target's strategy id
  const alertIdsByTarget = (reply: WebhookReply): Record<string, string> =>
    Object.fromEntries(
      reply.body.targets.map((t: { strategy_id: string; alert_id: string }) => [t.strategy_id, t.alert_id]),
    );

  it('should connect a second Dhan account under a label, keep the unlabelled connect on the first, and refuse one client id twice', async () => {
    const first = await connect({ broker: 'dhan', ...MAIN });
    expect(first.errors).toBeUndefined();
    main = first.data!.connectBroker;
    expect(main).toMatchObject({ broker: 'dhan', label: null, status: 'CONNECTED' });

    const second = await connect({ broker: 'dhan', ...WIFE, label: 'Dhan wife' });
    expect(second.errors).toBeUndefined();
    wife = second.data!.connectBroker;
    expect(wife).toMatchObject({
      broker: 'dhan',
      label: 'Dhan wife',
      status: 'CONNECTED',
      clientIdMasked: '******0002',
    });
    expect(wife.id).not.toBe(main.id);

    // The same client id as another account of this user: refused, nothing added
    expect(errorCode(await connect({ broker: 'dhan', ...MAIN, label: 'Dhan again' }))).toBe('BAD_USER_INPUT');
    // Connecting again without a label (today's call) reconnects the default account
    const again = await connect({ broker: 'dhan', ...MAIN });
    expect(again.data!.connectBroker.id).toBe(main.id);
    expect((await accounts()).map((a: { id: string; label: string | null }) => [a.id, a.label])).toEqual([
      [main.id, null],
      [wife.id, 'Dhan wife'],
    ]);
  });

  let strategy: { id: string; secret: string };
  let onMain: string;
  let onWife: string;

  it('should trade one alert on both accounts (multiplier 1 and 2), each order with its own client id and token', async () => {
    strategy = await createAndDeploy(api.url, trader.accessToken, {
      name: 'Two accounts',
      symbol: 'RELIANCE',
      qty: 1,
      alertsPerMinute: 1000,
    });
    const add = async (brokerAccountId: string, multiplier: string) => {
      const res = await gql(
        api.url,
        'mutation($s: ID!, $i: StrategyTargetInput!) { addStrategyTarget(strategyId: $s, input: $i) { id brokerAccountId multiplier } }',
        { s: strategy.id, i: { brokerAccountId, multiplier } },
        trader.accessToken,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data!.addStrategyTarget).toMatchObject({ brokerAccountId, multiplier });
      return res.data!.addStrategyTarget.id as string;
    };
    onMain = await add(main.id, '1');
    onWife = await add(wife.id, '2');

    const reply = await sendAccepted(strategy.secret, { side: 'BUY', qty: 1, price: 2500 });
    const ids = alertIdsByTarget(reply);
    const mainExec = await waitForStatus(ids[onMain], ['FILLED']);
    const wifeExec = await waitForStatus(ids[onWife], ['FILLED']);
    expect(mainExec).toMatchObject({ qty: '1.0000', filled_qty: '1.0000', broker_account_id: main.id });
    expect(wifeExec).toMatchObject({ qty: '2.0000', filled_qty: '2.0000', broker_account_id: wife.id });

    const [mainOrder] = orders(MAIN.clientId);
    const [wifeOrder] = orders(WIFE.clientId);
    expect(orders(MAIN.clientId)).toHaveLength(1);
    expect(orders(WIFE.clientId)).toHaveLength(1);
    expect(mainOrder.headers).toMatchObject({ 'access-token': MAIN.accessToken, 'client-id': MAIN.clientId });
    expect(mainOrder.body).toMatchObject({ dhanClientId: MAIN.clientId, quantity: 1 });
    expect(wifeOrder.headers).toMatchObject({ 'access-token': WIFE.accessToken, 'client-id': WIFE.clientId });
    expect(wifeOrder.body).toMatchObject({ dhanClientId: WIFE.clientId, quantity: 2 });
  });

  it('should keep a position and P&L per account', async () => {
    for (const sim of Object.values(dhan.accounts)) sim.setPrice('2885', '2600');
    const reply = await sendAccepted(strategy.secret, { side: 'EXIT', price: 2600 });
    for (const t of reply.body.targets) await waitForStatus(t.alert_id, ['FILLED']);
    const positions = await sql<{ strategy_id: string; qty: string; realized_pnl: string; charges: string }>(
      api,
      "select strategy_id, qty, realized_pnl, charges from positions where strategy_id = any($1) and mode = 'LIVE'",
      [[onMain, onWife]],
    );
    const gross = (id: string) => {
      const p = positions.find((x) => x.strategy_id === id)!;
      // realized is net of charges: gross = realized + charges, in paise
      return Math.round((Number(p.realized_pnl) + Number(p.charges)) * 100);
    };
    expect(positions.map((p) => [p.strategy_id, p.qty]).sort()).toEqual(
      [
        [onMain, '0.0000'],
        [onWife, '0.0000'],
      ].sort(),
    );
    expect(gross(onMain)).toBe(100 * 100);
    expect(gross(onWife)).toBe(200 * 100);
    // The report of one account holds its own trips only (both accounts are at the same broker)
    const reportOf = async (accountId: string) =>
      (
        await gql(
          api.url,
          'query($f: ReportFilter) { report(filter: $f) { totalTrades totalPnl } }',
          { f: { accountId } },
          trader.accessToken,
        )
      ).data!.report as { totalTrades: number; totalPnl: string };
    const net = (id: string) => Number(positions.find((x) => x.strategy_id === id)!.realized_pnl);
    const asNumbers = (r: { totalTrades: number; totalPnl: string }) => [r.totalTrades, Number(r.totalPnl)];
    expect(asNumbers(await reportOf(main.id))).toEqual([1, net(onMain)]);
    expect(asNumbers(await reportOf(wife.id))).toEqual([1, net(onWife)]);
  });

  it("should apply a postback of account 2's order to account 2's execution, though account 1 has an order with the same id", async () => {
    const [mainExec] = await executionsOf(onMain);
    const [wifeExec] = await executionsOf(onWife);
    // Each simulated account numbers its own orders: the same broker order id on both accounts
    expect(wifeExec.broker_order_id).toBe(mainExec.broker_order_id);
    const url = `${api.url}/api/webhook/dhan/postback`;
    const body = (clientId: string) =>
      JSON.stringify({ dhanClientId: clientId, orderId: wifeExec.broker_order_id, orderStatus: 'TRADED' });
    const forWife = await postback(url, body(WIFE.clientId));
    expect(forWife.body).toEqual({ status: 'accepted', execution_id: wifeExec.id });
    const forMain = await postback(url, body(MAIN.clientId));
    expect(forMain.body).toEqual({ status: 'accepted', execution_id: mainExec.id });
    // A client id that is no account of ours matches nothing
    expect((await postback(url, body('1000000099'))).body).toEqual({ status: 'ignored' });
  });

  it('should let a LIVE strategy with an open position name its default account by id (the same account), and refuse another account', async () => {
    const live = await createAndDeploy(api.url, trader.accessToken, {
      name: 'On the default',
      mode: 'LIVE',
      symbol: 'RELIANCE',
      qty: 1,
    });
    const reply = await sendAccepted(live.secret, { side: 'BUY', qty: 1, price: 2600 });
    expect(await waitForStatus(reply.body.alert_id, ['FILLED'])).toMatchObject({ broker_account_id: main.id });
    const update = (brokerAccountId: string | null) =>
      gql(
        api.url,
        'mutation($id: ID!, $p: StrategyPatch!) { updateStrategy(id: $id, input: $p) { brokerAccountId } }',
        { id: live.id, p: { brokerAccountId } },
        trader.accessToken,
      );
    // null meant the default account (main): naming main is no route change
    const same = await update(main.id);
    expect(same.errors).toBeUndefined();
    expect(same.data!.updateStrategy.brokerAccountId).toBe(main.id);
    const back = await update(null);
    expect(back.errors).toBeUndefined();
    // The open position is main's: moving it to wife's account is refused until it is flat
    const moved = await update(wife.id);
    expect(errorCode(moved)).toBe('BAD_USER_INPUT');
    expect(moved.errors![0].message).toContain('cannot switch broker account');
  });

  it("should not let account 1's expired token stop account 2", async () => {
    dhan.accounts[MAIN.clientId].expireToken();
    const reply = await sendAccepted(strategy.secret, { side: 'BUY', qty: 1, price: 2600 });
    const ids = alertIdsByTarget(reply);
    const wifeExec = await waitForStatus(ids[onWife], ['FILLED']);
    expect(wifeExec).toMatchObject({ qty: '2.0000', broker_account_id: wife.id });
    const mainExec = await waitForStatus(ids[onMain], ['REJECTED', 'FAILED']);
    expect(mainExec.broker_order_id).toBeNull();
    const byId = Object.fromEntries((await accounts()).map((a: { id: string; status: string }) => [a.id, a.status]));
    expect(byId).toEqual({ [main.id]: 'EXPIRED', [wife.id]: 'CONNECTED' });
  });

  it("should route a LIVE strategy's orders to the account it names, and refuse an account of another broker or user", async () => {
    const from = dhan.accounts[WIFE.clientId].requests.length;
    const live = await createAndDeploy(api.url, trader.accessToken, {
      name: 'On wife',
      mode: 'LIVE',
      symbol: 'RELIANCE',
      qty: 1,
      brokerAccountId: wife.id,
    });
    const read = await gql(
      api.url,
      'query($id: ID!) { strategy(id: $id) { brokerAccountId } }',
      { id: live.id },
      trader.accessToken,
    );
    expect(read.data!.strategy.brokerAccountId).toBe(wife.id);
    const reply = await sendAccepted(live.secret, { side: 'BUY', qty: 1, price: 2600 });
    expect(await waitForStatus(reply.body.alert_id, ['FILLED'])).toMatchObject({ broker_account_id: wife.id });
    expect(orders(WIFE.clientId, from)).toHaveLength(1);

    const other = await register(api.url, 'two-accounts-other@example.com');
    const foreign = await connectBroker(api.url, other.accessToken, { broker: 'dhan', ...WIFE });
    expect(foreign.errors).toBeUndefined();
    const refused = await gql(
      api.url,
      'mutation($i: StrategyInput!) { createStrategy(input: $i) { id } }',
      {
        i: {
          name: 'Not mine',
          symbol: 'RELIANCE',
          timeframe: '5',
          qty: 1,
          mode: 'LIVE',
          brokerAccountId: foreign.data!.connectBroker.id,
        },
      },
      trader.accessToken,
    );
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
  });
});
