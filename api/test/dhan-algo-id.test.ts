import { parse } from 'csv-parse/sync';
import { gql, register, Session } from './harness/graphql-client';
import {
  connectSim,
  DhanWorld,
  liveStrategy,
  sendAlert,
  startDhanWorld,
  waitForExecution,
} from './fixtures/dhan/dhan-kit';
import { istParts } from '../src/shared/ist';

// Signal -> order -> exchange algo id -> fill is one auditable line: the algo id DhanHQ stamps on an order is kept on
// the execution, shown by GraphQL and exported in the CSV.
describe('Execution.algoId (SEBI retail-algo id)', () => {
  let world: DhanWorld;
  let trader: Session;
  beforeAll(async () => {
    world = await startDhanWorld(
      {},
      {
        prices: { 2885: '2500' },
        instruments: { 2885: { tradingSymbol: 'RELIANCE', lotSize: 1 } },
        algoId: '77120042',
      },
    );
    world.sim.setPostbackUrl(world.postbackUrl);
    trader = await register(world.api.url, 'algo-id@example.com');
    await connectSim(world.api.url, trader.accessToken);
  });
  afterAll(async () => {
    await world.close();
  });

  it('should store the algo id of the order on the execution, in GraphQL and in the CSV export', async () => {
    const strategy = await liveStrategy(world.api.url, trader.accessToken, { symbol: 'RELIANCE' });
    const reply = await sendAlert(world.api.url, strategy, { side: 'BUY', qty: 2, price: 2500 });
    expect(reply.status).toBe(202);
    const row = await waitForExecution(world.api, reply.body.alert_id, ['FILLED']);
    expect((row as unknown as { algo_id: string }).algo_id).toBe('77120042');

    const res = await gql(
      world.api.url,
      `query($id: ID!) { execution(id: $id) { id algoId brokerOrderId } }`,
      { id: row.id },
      trader.accessToken,
    );
    expect(res.data!.execution).toMatchObject({ id: row.id, algoId: '77120042', brokerOrderId: row.broker_order_id });

    const day = (offset: number) => istParts(new Date(Date.now() + offset)).date;
    const csv = await fetch(
      `${world.api.url}/api/reports/export?${new URLSearchParams({ from: day(-86_400_000), to: day(86_400_000) })}`,
      {
        headers: { authorization: `Bearer ${trader.accessToken}` },
      },
    );
    expect(csv.status).toBe(200);
    const rows = parse(await csv.text(), { columns: true }) as Array<Record<string, string>>;
    expect(rows.find((r) => r.execution_id === row.id)).toMatchObject({
      broker_order_id: row.broker_order_id,
      algo_id: '77120042',
      status: 'FILLED',
    });
  });
});
