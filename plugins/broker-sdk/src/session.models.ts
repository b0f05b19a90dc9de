// Broker sessions (has.session): how long the access token lasts, renewing it, logging in again.
// Tokens are secrets: a SessionToken goes straight to encrypted storage and is never logged; `raw` never holds it.

import { z } from 'zod';
import { epochMs } from './models';

export const sessionInfoSchema = z.object({
  broker: z.string().min(1),
  accountId: z.string().min(1),
  // When the current access token stops working; absent when the broker does not say
  expiresAt: epochMs.optional(),
  // Where the expiry came from: the token itself (a JWT `exp`) or a broker call (profile)
  source: z.enum(['token', 'profile']).optional(),
  raw: z.unknown().refine((v) => v !== undefined, 'raw must be present'),
});
/** What `sessionExpiry()` returns. */
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

export const sessionTokenSchema = z.object({
  accessToken: z.string().min(1),
  expiresAt: epochMs.optional(),
  // How the token was made: 'renew' (RenewToken-style extension) or 'login' (PIN + TOTP)
  via: z.enum(['renew', 'login']),
  // The broker's answer with the token removed
  raw: z.unknown().refine((v) => v !== undefined, 'raw must be present'),
});
/** A fresh access token. The client switches to it at once; the host stores it (encrypted) for the next client. */
export type SessionToken = z.infer<typeof sessionTokenSchema>;

/** What an automatic login needs. `totpSecret` is the base32 secret shown when TOTP was enabled at the broker. */
export type LoginSecrets = { pin: string; totpSecret: string };
