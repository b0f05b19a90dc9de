// The SDK conformance suite against the plugin talking HTTP + WebSocket to the DhanHQ simulator
import { runBrokerConformance } from '@algodatta/broker-sdk/conformance';
import { plugin } from '../src';
import type { DhanSimulator } from '../src';
import { CLIENT_ID, RELIANCE, clientFor, optionsFor, startSim } from './helpers/dhan-test-kit';

let sim: DhanSimulator | undefined;
let starting: Promise<DhanSimulator> | undefined;
// A TOTP secret for the PIN + TOTP login card (base32)
const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const NIFTY_FUT = {
  symbol: 'NIFTY-Jun2026-FUT',
  exchangeSegment: 'NSE_FNO' as const,
  securityId: '62329',
  lotSize: '75',
  tickSize: '0.05',
  freezeQuantity: '1800',
};
const simulator = () =>
  (starting ??= startSim({
    prices: { 2885: '100' },
    pin: '2468',
    totpSecret: TOTP_SECRET,
    freezeQuantities: { 62329: 1800 },
  }).then((s) => (sim = s)));
let sessions = 0;

runBrokerConformance({
  harness: {
    plugin,
    get pluginOptions() {
      return sim ? optionsFor(sim) : { baseUrl: 'http://127.0.0.1:9/v2' };
    },
    instrument: RELIANCE,
    basePrice: '100',
    createClient: async () => clientFor(await simulator()),
    createClientWithBadCredentials: async () =>
      clientFor(await simulator(), {}, { clientId: CLIENT_ID, accessToken: 'expired-or-wrong' }),
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
    // Its own token, so renewing or replacing it leaves the other cards' clients alone
    async createSessionClient() {
      const s = await simulator();
      const token = `eyJ-session-${++sessions}`;
      s.sessions.add(token);
      return clientFor(s, {}, { clientId: CLIENT_ID, accessToken: token });
    },
    loginSecrets: { pin: '2468', totpSecret: TOTP_SECRET },
    sliceOrder: { instrument: NIFTY_FUT, quantity: '3750' },
    // What Dhan POSTs on an order change (postback docs)
    postbackFor: (order) => ({
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        dhanClientId: CLIENT_ID,
        orderId: order.brokerOrderId,
        correlationId: order.clientOrderId,
        orderStatus: 'TRADED',
      }),
    }),
    // The fixture master's contracts, on a day they all trade
    instrumentsNow: Date.parse('2026-06-01T12:00:00+05:30'),
    instrumentLookups: [
      { lookup: { symbol: 'RELIANCE', exchangeSegment: 'NSE_EQ' }, securityId: '2885' },
      { lookup: { symbol: 'NATURALGAS1!', exchangeSegment: 'MCX_COMM' }, securityId: '504265' },
      { lookup: { symbol: 'NATURALGAS2!', exchangeSegment: 'MCX_COMM' }, securityId: '900001' },
      { lookup: { symbol: 'RELIANCE', exchangeSegment: 'BSE_EQ', securityId: '500325' }, securityId: '500325' },
    ],
    settle: () => new Promise((r) => setTimeout(r, 60)),
    timeoutMs: 3000,
    async teardown() {
      await sim?.close();
    },
  },
});
