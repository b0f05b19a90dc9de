// Test plumbing: a simulator on an ephemeral port and plugin clients pointed at it
import path from 'node:path';
import { loadBrokerPlugin } from '@algodatta/broker-sdk';
import type { BrokerContext } from '@algodatta/broker-sdk';
import { plugin, startDhanSimulator } from '../../src';
import type { DhanBrokerClient, DhanOptionsInput, DhanSimulator, DhanSimulatorOptions } from '../../src';

export const FIXTURE_MASTER = path.join(__dirname, '..', 'fixtures', 'dhan', 'api-scrip-master-sample.csv');
export const CLIENT_ID = '1100003626';
export const TOKEN = 'eyJ-sim-token-for-tests';

export const RELIANCE = {
  symbol: 'RELIANCE',
  exchangeSegment: 'NSE_EQ' as const,
  securityId: '2885',
  lotSize: '1',
  tickSize: '0.1',
};

export const quietLogger = { debug() {}, info() {}, warn() {}, error() {} };

export async function startSim(opts: DhanSimulatorOptions = {}): Promise<DhanSimulator> {
  return startDhanSimulator({
    clientId: CLIENT_ID,
    accessToken: TOKEN,
    transitMs: 5,
    instruments: {
      2885: { tradingSymbol: 'RELIANCE', lotSize: 1 },
      504265: { tradingSymbol: 'NATURALGAS-25Jun2026-FUT', lotSize: 1 },
      62329: { tradingSymbol: 'NIFTY-Jun2026-FUT', lotSize: 75 },
    },
    prices: { 2885: '2950' },
    ...opts,
  });
}

export function optionsFor(sim: DhanSimulator, extra: DhanOptionsInput = {}): DhanOptionsInput {
  return {
    baseUrl: sim.url,
    orderUpdatesUrl: sim.wsUrl,
    marketFeedUrl: sim.feedUrl,
    authBaseUrl: sim.authUrl,
    instrumentsSource: FIXTURE_MASTER,
    reconcileDelayMs: 20,
    cancelWaitMs: 500,
    orderUpdateBackoff: { initialMs: 20, maxMs: 200 },
    ...extra,
  };
}

let accounts = 0;
export function ctxFor(
  credentials: Record<string, string> = { clientId: CLIENT_ID, accessToken: TOKEN },
): BrokerContext {
  return { logger: quietLogger, clock: { now: () => Date.now() }, accountId: `acct-${++accounts}`, credentials };
}

export async function clientFor(
  sim: DhanSimulator,
  extra: DhanOptionsInput = {},
  credentials?: Record<string, string>,
): Promise<DhanBrokerClient> {
  const loaded = loadBrokerPlugin(plugin, optionsFor(sim, extra));
  return (await loaded.createClient(ctxFor(credentials))) as DhanBrokerClient;
}

let ids = 0;
export function newId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${++ids}`.slice(0, 30);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(10);
  }
}
