import { ADMIN, startTestApi, TestApi } from './harness/test-api';
import { errorCode, gql, login, register, Session } from './harness/graphql-client';
import { createAndDeploy, postAlert, uniqueKey } from './harness/pipeline';
import { insertDeadLetter, insertExecutions } from './harness/rows';

const CREATE = `mutation($input: StrategyInput!) { createStrategy(input: $input) { id name symbol qty mode enabled userId } }`;
const input = { name: 'Breakout', symbol: 'reliance', timeframe: '5m', qty: 10, mode: 'PAPER' };

describe('authorization', () => {
  let api: TestApi;
  let alice: Session;
  let bob: Session;
  let aliceStrategyId: string;

  beforeAll(async () => {
    api = await startTestApi();
    alice = await register(api.url, 'alice@example.com');
    bob = await register(api.url, 'bob@example.com');
    const created = await gql(api.url, CREATE, { input }, alice.accessToken);
    aliceStrategyId = created.data!.createStrategy.id;
  });
  afterAll(async () => {
    await api.close();
  });

  it('should store a strategy with an upper-cased symbol and exact quantity for its owner', async () => {
    const res = await gql(
      api.url,
      'query($id: ID!) { strategy(id: $id) { symbol qty mode userId } }',
      { id: aliceStrategyId },
      alice.accessToken,
    );
    expect(res.data!.strategy).toEqual({ symbol: 'RELIANCE', qty: '10', mode: 'PAPER', userId: alice.user.id });
  });

  it("should not show Alice's strategy to Bob", async () => {
    const list = await gql(api.url, '{ strategies { id } }', undefined, bob.accessToken);
    expect(list.data!.strategies).toEqual([]);
    const one = await gql(
      api.url,
      'query($id: ID!) { strategy(id: $id) { id } }',
      { id: aliceStrategyId },
      bob.accessToken,
    );
    expect(one.data!.strategy).toBeNull();
  });

  it("should not let Bob change, toggle, clone or delete Alice's strategy", async () => {
    const attempts = [
      gql(
        api.url,
        'mutation($id: ID!) { updateStrategy(id: $id, input: { qty: 999 }) { id } }',
        { id: aliceStrategyId },
        bob.accessToken,
      ),
      gql(
        api.url,
        'mutation($id: ID!) { toggleStrategy(id: $id, enabled: false) { id } }',
        { id: aliceStrategyId },
        bob.accessToken,
      ),
      gql(api.url, 'mutation($id: ID!) { cloneStrategy(id: $id) { id } }', { id: aliceStrategyId }, bob.accessToken),
      gql(api.url, 'mutation($id: ID!) { deleteStrategy(id: $id) }', { id: aliceStrategyId }, bob.accessToken),
    ];
    for (const res of await Promise.all(attempts)) expect(errorCode(res)).toBe('NOT_FOUND');
    const after = await gql(
      api.url,
      'query($id: ID!) { strategy(id: $id) { qty enabled } }',
      { id: aliceStrategyId },
      alice.accessToken,
    );
    expect(after.data!.strategy).toEqual({ qty: '10', enabled: true });
  });

  it('should let the owner update, clone, toggle and delete', async () => {
    const updated = await gql(
      api.url,
      'mutation($id: ID!) { updateStrategy(id: $id, input: { qty: "25", maxDailyLoss: 5000 }) { qty maxDailyLoss } }',
      { id: aliceStrategyId },
      alice.accessToken,
    );
    expect(updated.data!.updateStrategy).toEqual({ qty: '25', maxDailyLoss: '5000' });
    const kept = await gql(
      api.url,
      'mutation($id: ID!) { updateStrategy(id: $id, input: { name: "Breakout" }) { maxDailyLoss } }',
      { id: aliceStrategyId },
      alice.accessToken,
    );
    expect(kept.data!.updateStrategy.maxDailyLoss).toBe('5000');
    const cleared = await gql(
      api.url,
      'mutation($id: ID!) { updateStrategy(id: $id, input: { maxDailyLoss: null }) { maxDailyLoss } }',
      { id: aliceStrategyId },
      alice.accessToken,
    );
    expect(cleared.data!.updateStrategy.maxDailyLoss).toBeNull();
    await gql(
      api.url,
      'mutation($id: ID!) { updateStrategy(id: $id, input: { maxDailyLoss: 5000 }) { maxDailyLoss } }',
      { id: aliceStrategyId },
      alice.accessToken,
    );
    const clone = await gql(
      api.url,
      'mutation($id: ID!) { cloneStrategy(id: $id) { id name enabled qty } }',
      { id: aliceStrategyId },
      alice.accessToken,
    );
    expect(clone.data!.cloneStrategy).toMatchObject({ name: 'Breakout (copy)', enabled: false, qty: '25' });
    const toggled = await gql(
      api.url,
      'mutation($id: ID!) { toggleStrategy(id: $id, enabled: false) { enabled } }',
      { id: aliceStrategyId },
      alice.accessToken,
    );
    expect(toggled.data!.toggleStrategy.enabled).toBe(false);
    const deleted = await gql(
      api.url,
      'mutation($id: ID!) { deleteStrategy(id: $id) }',
      { id: clone.data!.cloneStrategy.id },
      alice.accessToken,
    );
    expect(deleted.data!.deleteStrategy).toBe(true);
    const list = await gql(api.url, '{ strategies { id } }', undefined, alice.accessToken);
    expect(list.data!.strategies.map((s: { id: string }) => s.id)).toEqual([aliceStrategyId]);
  });

  it('should refuse admin operations to a user', async () => {
    expect(errorCode(await gql(api.url, '{ users { id } }', undefined, bob.accessToken))).toBe('FORBIDDEN');
    const res = await gql(
      api.url,
      'mutation($id: ID!) { setUserStatus(id: $id, status: DISABLED) { id } }',
      { id: alice.user.id },
      bob.accessToken,
    );
    expect(errorCode(res)).toBe('FORBIDDEN');
    const me = await gql(api.url, '{ me { status } }', undefined, alice.accessToken);
    expect(me.data!.me.status).toBe('ACTIVE');
  });

  it("should let an admin list users and see everyone's strategies", async () => {
    const admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login;
    const users = await gql(api.url, '{ users { email role } }', undefined, admin.accessToken);
    expect(users.data!.users.map((u: { email: string }) => u.email)).toEqual(
      expect.arrayContaining(['alice@example.com', 'bob@example.com', ADMIN.email]),
    );
    const strategies = await gql(api.url, '{ strategies { id } }', undefined, admin.accessToken);
    expect(strategies.data!.strategies.map((s: { id: string }) => s.id)).toContain(aliceStrategyId);
  });

  it("should not let an admin deploy, edit, clone, delete or enable another user's strategy, nor replay their dead letters", async () => {
    const admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login;
    const carol = await register(api.url, 'carol@example.com');
    const deployed = await createAndDeploy(api.url, carol.accessToken, { name: 'Carol', qty: 3 });
    const before = await gql(
      api.url,
      'query($id: ID!) { strategy(id: $id) { name qty enabled deployedAt } }',
      { id: deployed.id },
      carol.accessToken,
    );
    const [executionId] = await insertExecutions(api.services.sql, deployed.id, carol.user.id, 1);
    const deadLetterId = await insertDeadLetter(api.services.sql, executionId, carol.user.id);

    const attempts = {
      deploy: gql(
        api.url,
        'mutation($id: ID!) { deployStrategy(id: $id) { webhookSecret } }',
        { id: deployed.id },
        admin.accessToken,
      ),
      update: gql(
        api.url,
        'mutation($id: ID!) { updateStrategy(id: $id, input: { qty: 999 }) { id } }',
        { id: deployed.id },
        admin.accessToken,
      ),
      clone: gql(
        api.url,
        'mutation($id: ID!) { cloneStrategy(id: $id) { id } }',
        { id: deployed.id },
        admin.accessToken,
      ),
      delete: gql(api.url, 'mutation($id: ID!) { deleteStrategy(id: $id) }', { id: deployed.id }, admin.accessToken),
      enable: gql(
        api.url,
        'mutation($id: ID!) { toggleStrategy(id: $id, enabled: true) { id } }',
        { id: deployed.id },
        admin.accessToken,
      ),
      replay: gql(
        api.url,
        'mutation($id: ID!) { replayDeadLetter(id: $id) { id } }',
        { id: deadLetterId },
        admin.accessToken,
      ),
    };
    for (const [name, pending] of Object.entries(attempts)) {
      const res = await pending;
      expect([name, errorCode(res), res.data]).toEqual([name, 'FORBIDDEN', null]);
    }
    // nothing changed: same settings, no copy, the owner's webhook secret still works
    const after = await gql(
      api.url,
      'query($id: ID!) { strategy(id: $id) { name qty enabled deployedAt } }',
      { id: deployed.id },
      carol.accessToken,
    );
    expect(after.data!.strategy).toEqual(before.data!.strategy);
    expect((await gql(api.url, '{ strategies { id } }', undefined, carol.accessToken)).data!.strategies).toHaveLength(
      1,
    );
    const alert = await postAlert(api.url, {
      secret: deployed.secret,
      idempotency_key: uniqueKey(),
      symbol: 'RELIANCE',
      side: 'BUY',
      qty: 1,
    });
    expect(alert.status).toBe(202);
    const letters = await gql(api.url, '{ deadLetters { id replayedAt } }', undefined, carol.accessToken);
    expect(letters.data!.deadLetters).toEqual([{ id: deadLetterId, replayedAt: null }]);

    // the admin still reads everything, and may stop the strategy
    const read = await gql(
      api.url,
      'query($id: ID!) { strategy(id: $id) { id } }',
      { id: deployed.id },
      admin.accessToken,
    );
    expect(read.data!.strategy).toEqual({ id: deployed.id });
    const stopped = await gql(
      api.url,
      'mutation($id: ID!) { toggleStrategy(id: $id, enabled: false) { enabled } }',
      { id: deployed.id },
      admin.accessToken,
    );
    expect(stopped.data!.toggleStrategy).toEqual({ enabled: false });
  });

  it('should not let an admin disable their own account', async () => {
    const admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login;
    const res = await gql(
      api.url,
      'mutation($id: ID!) { setUserStatus(id: $id, status: DISABLED) { id } }',
      { id: admin.user.id },
      admin.accessToken,
    );
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
  });
});
