import { isBrokerError, Profile } from '@algodatta/broker-sdk';
import { badInput } from '../../shared/app-error';
import { logger } from '../../shared/logger';
import type { BrokerRegistry } from './plugin-registry';

const AUTH_CODES = new Set(['AUTH_FAILED', 'TOKEN_EXPIRED', 'PERMISSION_DENIED']);

// Asks the broker who these credentials belong to (profile), with a throwaway client that is closed at once.
// Any failure is a BAD_USER_INPUT with a message the user can act on; nothing is stored by the caller then.
export async function checkCredentials(
  brokers: BrokerRegistry,
  broker: string,
  credentials: Record<string, string>,
): Promise<Profile | null> {
  const plugin = brokers.plugin(broker);
  const child = logger.child({ broker });
  const client = await plugin
    .createClient({
      logger: {
        debug: (m, meta) => child.debug(m, meta),
        info: (m, meta) => child.info(m, meta),
        warn: (m, meta) => child.warn(m, meta),
        error: (m, meta) => child.error(m, meta),
      },
      clock: { now: Date.now },
      accountId: `connect-check-${credentials.clientId ?? ''}`,
      credentials,
    })
    .catch((error: unknown) => {
      throw refused(broker, error);
    });
  try {
    if (!plugin.manifest.has.profile) return null;
    const profile = await client.profile();
    if (profile.clientId && credentials.clientId && profile.clientId !== credentials.clientId) {
      throw badInput(`This access token belongs to another ${broker} client id than the one given`, [
        { path: 'clientId', message: 'does not match the token' },
      ]);
    }
    return profile;
  } catch (error) {
    throw refused(broker, error);
  } finally {
    await client.close().catch(() => undefined);
  }
}

function refused(broker: string, error: unknown): Error {
  if (!isBrokerError(error)) return error as Error;
  if (AUTH_CODES.has(error.code)) {
    return badInput(
      `${broker} refused these credentials (${error.code}): check the client id and generate a new access token`,
      [{ path: 'accessToken', message: 'invalid or expired' }],
    );
  }
  logger.warn('broker credential check failed', { broker, code: error.code });
  return badInput(`Could not verify the credentials with ${broker} (${error.code}); nothing was saved, try again`);
}
