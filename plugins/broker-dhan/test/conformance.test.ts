// The SDK conformance suite against the plugin talking HTTP + WebSocket to the DhanHQ simulator
import { runBrokerConformance } from '@algodatta/broker-sdk/conformance';
import { plugin } from '../src';
import type { DhanSimulator } from '../src';
import { CLIENT_ID, RELIANCE, clientFor, optionsFor, startSim } from './helpers/dhan-test-kit';

let sim: DhanSimulator | undefined;
let starting: Promise<DhanSimulator> | undefined;
const simulator = () => (starting ??= startSim({ prices: { 2885: '100' } }).then((s) => (sim = s)));

runBrokerConformance({
  harness: {
    plugin,
    get pluginOptions() {
      return sim ? optionsFor(sim) : { baseUrl: 'http://127.0.0.1:9/v2' };
    },
    instrument: RELIANCE,
    basePrice: '100',
    createClient: async () => clientFor(await simulator()),
    createClientWithBadCredentials: async () => clientFor(await simulator(), {}, { clientId: CLIENT_ID, accessToken: 'expired-or-wrong' }),
    async setMarketPrice(instrument, price) {
      (await simulator()).setPrice(instrument.securityId as string, price);
    },
    async triggerRateLimit(client) {
      (await simulator()).inject({ kind: 'rate_limit', path: '/fundlimit' });
      return client.funds();
    },
    async redeliverLastUpdate() {
      (await simulator()).replayOrderAlerts();
    },
    settle: () => new Promise((r) => setTimeout(r, 60)),
    timeoutMs: 3000,
    async teardown() {
      await sim?.close();
    },
  },
});
