import { ADMIN, startTestApi, TestApi } from './harness/test-api';
import { gql, login, register, Session } from './harness/graphql-client';
import { createAndDeploy } from './harness/pipeline';

const PREVIEW =
  'query($id: ID!) { strategy(id: $id) { deployedAt deployment { deployedAt webhookUrl webhookUrlWarning alertMessage pineSnippet } } }';
const DEPLOY = 'mutation($id: ID!) { deployStrategy(id: $id) { webhookUrl webhookSecret webhookUrlWarning } }';

describe('the deployment shown again, secret masked, with a warning about unreachable webhook URLs', () => {
  let api: TestApi;
  let trader: Session;
  beforeAll(async () => {
    // The harness's PUBLIC_BASE_URL is http://127.0.0.1:4000, which TradingView cannot reach
    api = await startTestApi();
    trader = await register(api.url, 'preview@example.com');
  });
  afterAll(async () => {
    await api.close();
  });

  it('should show the alert message again with the secret masked, and warn about a local webhook URL', async () => {
    const created = await gql(
      api.url,
      'mutation { createStrategy(input: { name: "Preview", symbol: "INFY", timeframe: "5", qty: 1, mode: PAPER }) { id } }',
      undefined,
      trader.accessToken,
    );
    const id = created.data!.createStrategy.id;
    expect((await gql(api.url, PREVIEW, { id }, trader.accessToken)).data!.strategy.deployment).toBeNull();

    const deployed = (await gql(api.url, DEPLOY, { id }, trader.accessToken)).data!.deployStrategy;
    expect(deployed.webhookUrlWarning).toMatch(
      /127\.0\.0\.1:4000, which only this machine or its network can reach.*PUBLIC_BASE_URL/,
    );

    const res = await gql(api.url, PREVIEW, { id }, trader.accessToken);
    expect(res.errors).toBeUndefined();
    const preview = res.data!.strategy.deployment;
    expect(preview.deployedAt).toBe(res.data!.strategy.deployedAt);
    expect(preview.webhookUrl).toBe(deployed.webhookUrl);
    expect(preview.webhookUrlWarning).toBe(deployed.webhookUrlWarning);
    expect(JSON.parse(preview.alertMessage)).toMatchObject({
      secret: 'whsec_********',
      side: '{{strategy.order.action}}',
    });
    expect(preview.pineSnippet).toContain('whsec_********');
    expect(JSON.stringify(res)).not.toContain(deployed.webhookSecret);

    // An admin sees the same masked view of another user's strategy, never the secret
    const admin = (await login(api.url, ADMIN.email, ADMIN.password)).data!.login.accessToken;
    const seen = (await gql(api.url, PREVIEW, { id }, admin)).data!.strategy.deployment;
    expect(seen.alertMessage).toBe(preview.alertMessage);
  });

  it('should not warn about a public https address', async () => {
    const publicApi = await startTestApi({ PUBLIC_BASE_URL: 'https://algo.example.com' });
    try {
      const owner = await register(publicApi.url, 'public@example.com');
      const s = await createAndDeploy(publicApi.url, owner.accessToken, {});
      const preview = (await gql(publicApi.url, PREVIEW, { id: s.id }, owner.accessToken)).data!.strategy.deployment;
      expect(preview).toMatchObject({
        webhookUrl: 'https://algo.example.com/api/webhook/tradingview',
        webhookUrlWarning: null,
      });
    } finally {
      await publicApi.close();
    }
  });
});
