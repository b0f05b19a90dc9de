// The TOTP code for Dhan's PIN + TOTP login, computed with otpauth (RFC 6238: SHA-1, 6 digits, 30 s; what
// authenticator apps do with the base32 secret shown when TOTP is enabled)
import { Secret, TOTP } from 'otpauth';

export function totpCode(base32Secret: string, at: number): string {
  const secret = Secret.fromBase32(base32Secret.replace(/\s+/g, '').toUpperCase());
  return new TOTP({ secret, algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: at });
}

/** True when `code` is valid for the secret at `at`, allowing one 30 s step of clock drift either way. */
export function totpMatches(base32Secret: string, code: string, at: number): boolean {
  const secret = Secret.fromBase32(base32Secret.replace(/\s+/g, '').toUpperCase());
  return (
    new TOTP({ secret, algorithm: 'SHA1', digits: 6, period: 30 }).validate({
      token: code,
      timestamp: at,
      window: 1,
    }) !== null
  );
}
