// BC-E: error mapping cards

import { AuthError, isBrokerError, NotSupportedError, RateLimitError } from '../errors';
import { HAS_METHODS } from '../client';
import type { CardKit } from './card-kit';

async function caught(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    (v) => {
      throw new Error(`expected the call to fail, it resolved with ${JSON.stringify(v)}`);
    },
    (e: unknown) => e,
  );
}

export function registerErrorCards(k: CardKit): void {
  const { h, manifest } = k;
  describe('errors', () => {
    const noCreds = manifest.requiredCredentials.length === 0 && 'the broker needs no credentials';
    k.card('BC-E01', 'bad credentials -> AuthError (not retryable)', noCreds || (!h.createClientWithBadCredentials && 'harness has no createClientWithBadCredentials'), async () => {
      const e = await caught(
        (async () => {
          const client = await h.createClientWithBadCredentials!();
          try {
            if (manifest.has.profile) await client.profile();
            else if (manifest.has.funds) await client.funds();
            else await client.listOrders();
          } finally {
            await client.close();
          }
        })(),
      );
      expect(isBrokerError(e)).toBe(true);
      expect(e).toBeInstanceOf(AuthError);
      expect((e as AuthError).retryable).toBe(false);
      // Tokens never leak into messages
      expect(String((e as Error).message)).not.toMatch(/bearer|eyJ/i);
    });

    k.card('BC-E05', 'throttling -> RateLimitError (retryable)', !h.triggerRateLimit && 'harness has no triggerRateLimit', async () => {
      await k.withClient(async (client) => {
        const e = await caught(h.triggerRateLimit!(client));
        expect(isBrokerError(e)).toBe(true);
        expect(e).toBeInstanceOf(RateLimitError);
        expect((e as RateLimitError).retryable).toBe(true);
        const after = (e as RateLimitError).retryAfterMs;
        if (after !== undefined) expect(after).toBeGreaterThanOrEqual(0);
      });
    });

    const unsupported = Object.keys(HAS_METHODS).filter((f) => !manifest.has[f as keyof typeof HAS_METHODS]);
    k.card('BC-E06', 'methods the manifest does not promise throw NotSupportedError', unsupported.length === 0 && 'every method is supported', async () => {
      await k.withClient(async (client) => {
        const c = client as unknown as Record<string, unknown>;
        for (const flag of unsupported) {
          for (const m of HAS_METHODS[flag as keyof typeof HAS_METHODS]) {
            const fn = c[m];
            if (typeof fn !== 'function') continue;
            const e = await caught(Promise.resolve().then(() => (fn as (...a: unknown[]) => Promise<unknown>).call(client, { clientOrderId: 'x' }, {})));
            expect(e).toBeInstanceOf(NotSupportedError);
          }
        }
      });
    });
  });
}
