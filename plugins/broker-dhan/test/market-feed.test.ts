// The live market feed: binary packets (DhanHQ-py marketfeed.py layout) and subscribeQuotes against the simulator
import { TokenExpiredError } from '@algodatta/broker-sdk';
import type { Tick } from '@algodatta/broker-sdk';
import type { DhanBrokerClient, DhanSimulator } from '../src';
import {
  decodeFeedMessage,
  encodeDisconnect,
  encodeQuote,
  encodeTicker,
  subscriptionMessages,
} from '../src/market-feed/feed-packets';
import { RELIANCE, clientFor, sleep, startSim, waitUntil } from './helpers/dhan-test-kit';

describe('feed packets', () => {
  it('should lay a ticker out as <BHBIfI little-endian and read it back', () => {
    const b = encodeTicker(1, '2885', 2950.05, 1764567000);
    expect(b.length).toBe(16);
    expect([b.readUInt8(0), b.readUInt16LE(1), b.readUInt8(3), b.readUInt32LE(4)]).toEqual([2, 16, 1, 2885]);
    const [p] = decodeFeedMessage(b);
    expect(p).toMatchObject({ kind: 'ticker', segment: 1, securityId: '2885', ltt: 1764567000 });
    // float32: 2950.05 comes back as 2950.050048828125; the client rounds it to the tick
    expect(p.kind === 'ticker' && p.ltp).toBeCloseTo(2950.05, 2);
  });

  it('should read a quote, packets back to back in one message, and a disconnect with its reason', () => {
    const msg = Buffer.concat([
      encodeQuote(2, '62329', { ltp: 24010.5, ltq: 75, ltt: 1, volume: 1500 }),
      encodeTicker(5, '504265', 251.3, 2),
      encodeDisconnect(807),
    ]);
    expect(decodeFeedMessage(msg).map((p) => p.kind)).toEqual(['quote', 'ticker', 'disconnect']);
    expect(decodeFeedMessage(msg)[0]).toMatchObject({ securityId: '62329', ltq: 75, volume: 1500 });
    expect(decodeFeedMessage(msg)[2]).toEqual({ kind: 'disconnect', reason: 807 });
  });

  it('should subscribe with JSON requests of at most 100 instruments', () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ segment: 'NSE_EQ', securityId: String(i + 1) }));
    const msgs = subscriptionMessages(15, many).map((m) => JSON.parse(m));
    expect(msgs.map((m) => m.InstrumentCount)).toEqual([100, 50]);
    expect(msgs[0]).toMatchObject({
      RequestCode: 15,
      InstrumentList: expect.arrayContaining([{ ExchangeSegment: 'NSE_EQ', SecurityId: '1' }]),
    });
  });
});

describe('subscribeQuotes', () => {
  let sim: DhanSimulator;
  let client: DhanBrokerClient;
  beforeEach(async () => {
    sim = await startSim({ prices: { 2885: '2950.05', 62329: '24000' } });
    client = await clientFor(sim);
  });
  afterEach(async () => {
    await client.close();
    await sim.close();
  });

  it('should deliver the current price on subscribe, then every change, as decimal strings', async () => {
    const ticks: Tick[] = [];
    const stop = client.subscribeQuotes([RELIANCE], (t) => ticks.push(t));
    await waitUntil(() => ticks.length >= 1);
    expect(ticks[0]).toMatchObject({ broker: 'dhan', instrument: RELIANCE, lastPrice: '2950.05' });
    sim.setPrice('2885', '2951.1');
    sim.setPrice('2885', '2949.95');
    await waitUntil(() => ticks.length >= 3);
    expect(ticks.map((t) => t.lastPrice)).toEqual(['2950.05', '2951.1', '2949.95']);
    expect(sim.marketFeed.requests[0]).toEqual({
      RequestCode: 15,
      InstrumentCount: 1,
      InstrumentList: [{ ExchangeSegment: 'NSE_EQ', SecurityId: '2885' }],
    });
    stop();
  });

  it('should share one connection, unsubscribe an instrument only when its last subscriber leaves, and close with the last', async () => {
    const a: Tick[] = [];
    const b: Tick[] = [];
    const stopA = client.subscribeQuotes([RELIANCE], (t) => a.push(t));
    const stopB = client.subscribeQuotes(
      [RELIANCE, { symbol: 'NIFTY-Jun2026-FUT', exchangeSegment: 'NSE_FNO', securityId: '62329' }],
      (t) => b.push(t),
    );
    await waitUntil(() => a.length >= 1 && b.length >= 2);
    expect(sim.marketFeed.connections).toBe(1);
    stopA();
    sim.setPrice('2885', '2960');
    await waitUntil(() => b.some((t) => t.lastPrice === '2960'));
    expect(a.some((t) => t.lastPrice === '2960')).toBe(false);
    expect(sim.marketFeed.requests.some((r) => (r as { RequestCode: number }).RequestCode === 16)).toBe(false);
    stopB();
    stopB();
    await waitUntil(() => sim.marketFeed.connections === 0);
  });

  it('should resolve a symbol without securityId from the instrument master', async () => {
    const ticks: Tick[] = [];
    const stop = client.subscribeQuotes([{ symbol: 'RELIANCE', exchangeSegment: 'NSE_EQ' }], (t) => ticks.push(t));
    await waitUntil(() => ticks.length >= 1);
    expect(ticks[0].instrument).toMatchObject({ symbol: 'RELIANCE', securityId: '2885' });
    stop();
  });

  it('should reconnect and resubscribe after the connection drops', async () => {
    const ticks: Tick[] = [];
    const stop = client.subscribeQuotes([RELIANCE], (t) => ticks.push(t));
    await waitUntil(() => ticks.length >= 1);
    sim.marketFeed.close();
    await sleep(20);
    await waitUntil(() => sim.marketFeed.connections === 1);
    sim.setPrice('2885', '2970');
    await waitUntil(() => ticks.some((t) => t.lastPrice === '2970'));
    stop();
  });

  it('should report an expired token (disconnect 807) as TokenExpiredError', async () => {
    const errors: Error[] = [];
    const stop = client.subscribeQuotes([RELIANCE], () => undefined, { onError: (e) => errors.push(e) });
    await waitUntil(() => sim.marketFeed.connections === 1);
    sim.expireToken();
    await waitUntil(() => errors.some((e) => e instanceof TokenExpiredError));
    stop();
  });
});
