import http from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { register, Session } from './harness/graphql-client';
import { startTestApi } from './harness/test-api';
import { loadBrokerPlugin } from '@algodatta/broker-sdk';
import { InstrumentMasterService } from '../src/modules/instruments/instrument-master.service';
import { InstrumentResolver } from '../src/modules/instruments/instrument-resolver';
import type { StrategySnapshot } from '../src/modules/strategies/strategy-snapshot';
import { TradingMode } from '../src/shared/enums';
import {
  captureLogs,
  connectSim,
  DhanWorld,
  liveStrategy,
  MASTER_CSV,
  sendAlert,
  sql,
  startDhanWorld,
  waitFor,
  waitForExecution,
} from './fixtures/dhan/dhan-kit';

// The DhanHQ plugin's master read from another source (the plugin-level hook, built with these options)
const dhanMaster = (instrumentsSource: string) =>
  loadBrokerPlugin(require('@algodatta/broker-dhan'), { instrumentsSource }).instruments!;
const countDhan = async (world: DhanWorld) =>
  Number((await sql<{ n: string }>(world.api, `select count(*) as n from instruments where broker = 'dhan'`))[0].n);

describe('the DhanHQ instrument master in PostgreSQL', () => {
  let world: DhanWorld;
  let trader: Session;
  beforeAll(async () => {
    // Loaded by the start-up path (the table is empty), in the background
    world = await startDhanWorld({ BROKER_DHAN_INSTRUMENTS_ON_START: 'true' });
    trader = await register(world.api.url, 'instruments@example.com');
    await connectSim(world.api.url, trader.accessToken);
  });
  afterAll(async () => {
    await world.close();
  });

  it('should load the master at start when the table is empty, one row per tradable segment and security with the parsed row in raw', async () => {
    // The sample's 25 rows less its 6 indices (not tradable: the SDK has no index segment)
    await waitFor(async () => (await countDhan(world)) === 19, 'the start-up load');
    const [gas] = await sql<{
      trading_symbol: string;
      underlying: string;
      exchange_segment: string;
      lot_size: string;
      tick_size: string;
      expiry: Date;
      raw: Record<string, unknown>;
    }>(world.api, `select * from instruments where security_id = '504265'`);
    expect(gas).toMatchObject({
      trading_symbol: 'NATURALGAS-25JUN2026-FUT',
      underlying: 'NATURALGAS',
      exchange_segment: 'MCX_COMM',
      lot_size: '1.0000',
      tick_size: '0.1000',
    });
    expect(gas.expiry.toISOString()).toBe('2026-06-25T18:00:00.000Z');
    expect(gas.raw).toMatchObject({
      securityId: '504265',
      tradingSymbol: 'NATURALGAS-25Jun2026-FUT',
      instrument: 'FUTCOM',
      expiryDate: '2026-06-25',
      lotSize: '1',
    });
    const [reliance] = await sql<{ n: string }>(
      world.api,
      `select count(*) as n from instruments where trading_symbol = 'RELIANCE'`,
    );
    expect(reliance.n).toBe('2'); // NSE and BSE
  });

  it('should replace the whole master on refresh, and keep the old one when a load fails', async () => {
    await world.api.db.orm.em
      .fork()
      .getConnection()
      .execute(
        `insert into instruments (id, broker, security_id, exchange_segment, exchange, trading_symbol, instrument_type, lot_size, tick_size)
       values (gen_random_uuid(), 'dhan', '1', 'NSE_EQ', 'NSE', 'DELISTED', 'EQUITY', 1, 0.05)`,
      );
    expect(await countDhan(world)).toBe(20);
    const result = await world.api.services.instrumentMaster.refresh();
    expect(result).toMatchObject({ rows: 19, skipped: 0 });
    expect(await countDhan(world)).toBe(19);
    expect(await sql(world.api, `select id from instruments where trading_symbol = 'DELISTED'`)).toEqual([]);

    const logs = captureLogs();
    try {
      const broken = new InstrumentMasterService(
        world.api.db.orm,
        world.api.services.instruments,
        'dhan',
        dhanMaster('/nonexistent/api-scrip-master.csv'),
      );
      await expect(broken.refresh()).rejects.toThrow(/ENOENT/);
      expect(await broken.refreshSafely('test')).toBeNull();
    } finally {
      logs.stop();
    }
    expect(logs.text()).toContain('instrument master not loaded');
    expect(await countDhan(world)).toBe(19);
  });

  it('should keep a large stored master when a new download is far smaller (truncated)', async () => {
    await world.api.db.orm.em
      .fork()
      .getConnection()
      .execute(
        `insert into instruments (id, broker, security_id, exchange_segment, exchange, trading_symbol, instrument_type, lot_size, tick_size)
       select gen_random_uuid(), 'dhan', (5000000 + n)::text, 'NSE_EQ', 'NSE', 'FILLER' || n, 'EQUITY', 1, 0.05 from generate_series(1, 1200) as n`,
      );
    try {
      await expect(world.api.services.instrumentMaster.refresh()).rejects.toThrow(/has 19 rows against 1219 stored/);
      expect(await countDhan(world)).toBe(1219);
    } finally {
      await world.api.db.orm.em
        .fork()
        .getConnection()
        .execute(`delete from instruments where trading_symbol like 'FILLER%'`);
    }
    expect(await countDhan(world)).toBe(19);
  });

  it('should load from an http(s) URL too', async () => {
    const csv = readFileSync(MASTER_CSV, 'utf8')
      .split('\n')
      .filter((l) => !l.includes('HDFCBANK'))
      .join('\n');
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end(csv);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api-scrip-master.csv`;
      const fromHttp = new InstrumentMasterService(
        world.api.db.orm,
        world.api.services.instruments,
        'dhan',
        dhanMaster(url),
      );
      expect(await fromHttp.refresh()).toMatchObject({ rows: 18 });
      expect(await sql(world.api, `select id from instruments where trading_symbol = 'HDFCBANK'`)).toEqual([]);
    } finally {
      server.close();
      await world.api.services.instrumentMaster.refresh();
    }
  });

  it('should reject LIVE alerts for symbols the master does not know (or only as expired contracts) with 422 unknown_symbol', async () => {
    const unknown = await liveStrategy(world.api.url, trader.accessToken, { symbol: 'NOSUCHCO' });
    expect(await sendAlert(world.api.url, unknown, {})).toMatchObject({
      status: 422,
      body: { status: 'rejected', reason: 'unknown_symbol' },
    });
    // Every NATURALGAS contract of the sample expired by Aug 2026; today's date is later
    const expired = await liveStrategy(world.api.url, trader.accessToken, {
      symbol: 'NATURALGAS',
      exchangeSegment: 'MCX_COMM',
    });
    const reply = await sendAlert(world.api.url, expired, {});
    expect(reply).toMatchObject({ status: 422, body: { reason: 'unknown_symbol' } });
    expect(reply.body.message).toMatch(/expired|NATURALGAS/);
    const known = await liveStrategy(world.api.url, trader.accessToken, { symbol: 'HDFCBANK' });
    expect(await sendAlert(world.api.url, known, {})).toMatchObject({ status: 202 });
  });

  it('should resolve continuous futures to the nearest unexpired contract of exactly that underlying, at a fixed clock', async () => {
    const strategy = {
      broker: 'dhan',
      exchangeSegment: 'MCX_COMM',
      mode: TradingMode.LIVE,
      instrumentOverride: undefined,
    } as unknown as StrategySnapshot;
    const at = (iso: string) => new InstrumentResolver(world.api.services.brokers, () => new Date(iso));
    const securityOf = async (resolver: InstrumentResolver, symbol: string) => {
      const r = await resolver.resolve(world.api.db.sql, strategy, symbol);
      return r.ok ? r.instrument.securityId : r.reason;
    };
    const june = at('2026-06-01T04:00:00Z');
    expect(await securityOf(june, 'NATURALGAS')).toBe('504265');
    expect(await securityOf(june, 'NATURALGAS1!')).toBe('504265');
    expect(await securityOf(june, 'NATURALGAS2!')).toBe('900001');
    expect(await securityOf(june, 'MCX:NATURALGAS')).toBe('504265');
    expect(await securityOf(june, 'NATGASMINI')).toBe('900003');
    // Contract symbols match whatever their case (the table keeps them upper-case)
    expect(await securityOf(june, 'NATURALGAS-28Jul2026-FUT')).toBe('900001');
    expect(await securityOf(at('2026-06-26T04:00:00Z'), 'NATURALGAS')).toBe('900001');
    expect(await securityOf(at('2026-09-01T04:00:00Z'), 'NATURALGAS')).toBe('unknown_symbol');
  });

  it('should honour a per-strategy instrumentOverride (the BSE listing of RELIANCE)', async () => {
    const strategy = await liveStrategy(world.api.url, trader.accessToken, {
      symbol: 'RELIANCE',
      exchangeSegment: 'BSE_EQ',
      instrumentOverride: '500325',
    });
    const from = world.sim.requests.length;
    const reply = await sendAlert(world.api.url, strategy, { qty: 4 });
    expect(reply.status).toBe(202);
    const execution = await waitForExecution(world.api, reply.body.alert_id, ['PLACED', 'FILLED']);
    expect(execution.security_id).toBe('500325');
    // This alert's order (the previous test's known-symbol alert may still be placing)
    const placed = world.sim.requests
      .slice(from)
      .find(
        (r) =>
          r.method === 'POST' &&
          r.path === '/orders' &&
          (r.body as { correlationId?: string }).correlationId === execution.client_order_id,
      );
    expect(placed!.body).toMatchObject({
      securityId: '500325',
      exchangeSegment: 'BSE_EQ',
      quantity: 4,
      correlationId: execution.client_order_id,
    });
  });

  it('should schedule the daily refresh at 08:00 IST', async () => {
    const [job] = await sql<{ repeat_interval: string; repeat_timezone: string }>(
      world.api,
      `select * from agenda_jobs where name = 'instruments.refresh'`,
    );
    expect(job).toMatchObject({ repeat_interval: '0 8 * * *', repeat_timezone: 'Asia/Kolkata' });
  });
});

describe('the instrument master at start-up', () => {
  it('should never block or fail the start when the master cannot be fetched', async () => {
    // A server that accepts the request and never answers
    const hanging = http.createServer(() => undefined);
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    const started = Date.now();
    const api = await startTestApi({
      BROKER_DHAN_INSTRUMENTS_ON_START: 'true',
      BROKER_DHAN_INSTRUMENTS_SOURCE: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/master.csv`,
    });
    try {
      expect(Date.now() - started).toBeLessThan(10_000);
      expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
    } finally {
      hanging.closeAllConnections();
      hanging.close();
      await api.close();
    }
  });
});
