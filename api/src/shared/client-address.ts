import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

// Decides, for each hop of X-Forwarded-For counted from the socket (hop 0), whether that hop is a proxy of ours
export type TrustProxy = (address: string, hop: number) => boolean;

// TRUST_PROXY, as Express's `trust proxy` reads it, except that `true` means one hop (the proxy in front of us)
// and never "trust every entry": the leftmost entry is whatever the caller wrote.
// false/0: no proxy; true or N: the N nearest hops; else a comma-separated list of addresses, subnets
// (10.0.0.0/8) and proxy-addr's names (loopback, linklocal, uniquelocal). Throws on anything else.
export function parseTrustProxy(setting: string): TrustProxy {
  const value = setting.trim().toLowerCase();
  if (value === '' || value === 'false') return () => false;
  const hops = value === 'true' ? 1 : /^\d+$/.test(value) ? Number(value) : undefined;
  if (hops !== undefined) return (_address, hop) => hop < hops;
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return proxyaddr.compile(entries);
}

// What clientAddress answers for a request whose peer is gone: a client that reset its connection right after
// sending has no address left to read (the socket's getpeername fails), and its request is still parsed.
export const PEER_GONE = '';

// The client's address under the trust rule: the nearest X-Forwarded-For entry that a trusted hop wrote,
// else the socket's peer. IPv4-mapped IPv6 is written as IPv4, as allowlists are.
export function clientAddress(req: IncomingMessage, trust: TrustProxy): string {
  if (req.socket.remoteAddress === undefined) return PEER_GONE;
  return proxyaddr(req, trust).replace(/^::ffff:/i, '');
}
