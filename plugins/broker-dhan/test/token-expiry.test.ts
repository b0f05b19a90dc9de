// An expired token is TokenExpiredError, not retryable, and the plugin does not retry it by itself
import { AuthError, TokenExpiredError } from '@algodatta/broker-sdk';
import type { DhanSimulator } from '../src';
import { RELIANCE, TOKEN, clientFor, newId, startSim } from './helpers/dhan-test-kit';

let sim: DhanSimulator;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(async () => {
  await sim.close();
});

describe('expired token', () => {
  it('should throw TokenExpiredError after exactly one request when the token has expired', async () => {
    const client = await clientFor(sim, { lookupBeforePlace: false });
    try {
      sim.expireToken();
      const before = sim.requests.length;
      const e = await client
        .placeOrder({
          clientOrderId: newId('exp'),
          instrument: RELIANCE,
          side: 'BUY',
          type: 'MARKET',
          product: 'INTRADAY',
          quantity: '1',
        })
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(TokenExpiredError);
      expect(e).toBeInstanceOf(AuthError);
      expect((e as TokenExpiredError).retryable).toBe(false);
      expect((e as TokenExpiredError).brokerCode).toBe('DH-901');
      expect(sim.requests.length - before).toBe(1);
      expect(sim.state.orders.size).toBe(0);
      // The token never appears in the message
      expect((e as Error).message).not.toContain(TOKEN);
    } finally {
      sim.setAccessToken(TOKEN);
      await client.close();
    }
  });

  it('should throw TokenExpiredError from a read and work again after the token is renewed', async () => {
    sim.expireToken();
    const client = await clientFor(sim);
    try {
      await expect(client.profile()).rejects.toBeInstanceOf(TokenExpiredError);
    } finally {
      await client.close();
    }
    sim.setAccessToken('renewed-token');
    const renewed = await clientFor(sim, {}, { clientId: '1100003626', accessToken: 'renewed-token' });
    try {
      expect((await renewed.profile()).clientId).toBe('1100003626');
    } finally {
      await renewed.close();
    }
  });

  it('should refuse to create a client without credentials', async () => {
    await expect(clientFor(sim, {}, { clientId: '1100003626' })).rejects.toBeInstanceOf(AuthError);
  });
});
