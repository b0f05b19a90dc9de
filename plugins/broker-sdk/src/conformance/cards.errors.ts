// BC-E: error mapping cards

import { AuthError, isBrokerError, NotSupportedError, RateLimitError } from '../errors';
import { CAPABILITY_METHODS, HAS_METHODS, hasCapability } from '../client';
import type { Capability } from '../client';
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
    k.card(
      'BC-E01',
      'bad credentials -> AuthError (not retryable)',
      noCreds || (!h.createClientWithBadCredentials && 'harness has no createClientWithBadCredentials'),
      async () => {
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
      },
    );

    k.card(
      'BC-E05',
      'throttling -> RateLimitError (retryable)',
      !h.triggerRateLimit && 'harness has no triggerRateLimit',
      async () => {
        await k.withClient(async (client) => {
          const e = await caught(h.triggerRateLimit!(client));
          expect(isBrokerError(e)).toBe(true);
          expect(e).toBeInstanceOf(RateLimitError);
          expect((e as RateLimitError).retryable).toBe(true);
          const after = (e as RateLimitError).retryAfterMs;
          if (after !== undefined) expect(after).toBeGreaterThanOrEqual(0);
        });
      },
    );

    // Undeclared methods and undeclared capabilities' methods: absent, or present and throwing NotSupportedError
    const unsupported: string[] = [
      ...Object.keys(HAS_METHODS)
        .filter((f) => !manifest.has[f as keyof typeof HAS_METHODS])
        .flatMap((f) => [...HAS_METHODS[f as keyof typeof HAS_METHODS]]),
      ...Object.keys(CAPABILITY_METHODS)
        .filter((c) => !hasCapability(manifest.has, c as Capability))
        .flatMap((c) => [...CAPABILITY_METHODS[c as Capability]]),
    ];
    k.card(
      'BC-E06',
      'methods the manifest does not promise throw NotSupportedError',
      unsupported.length === 0 && 'every method is supported',
      async () => {
        await k.withClient(async (client) => {
          const c = client as unknown as Record<string, unknown>;
          for (const m of unsupported) {
            const fn = c[m];
            if (typeof fn !== 'function') continue;
            const e = await caught(
              Promise.resolve().then(() =>
                (fn as (...a: unknown[]) => Promise<unknown>).call(client, { clientOrderId: 'x' }, {}),
              ),
            );
            expect(e).toBeInstanceOf(NotSupportedError);
          }
        });
      },
    );
  });
}
