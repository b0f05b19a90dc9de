import { BrokerClient, BrokerManifest, isBrokerError } from '@algodatta/broker-sdk';
import { EntityManager } from '@mikro-orm/postgresql';
import { maskClientId } from '../../shared/crypto';
import { BrokerAccountStatus } from '../../shared/enums';
import { logger } from '../../shared/logger';
import type { User } from '../users/user.entity';
import { BrokerAccount } from './broker-account.entity';
import type { BrokerAccountService } from './broker-account.service';
import { BrokerAccountDetails, BrokerReadProblem } from './broker-account-details.types';
import type { BrokerRoute, BrokerRouter } from './broker-route';
import { findAccount } from './broker-account-lookup';
import type { BrokerRegistry } from './plugin-registry';

const READ_TIMEOUT_MS = 8_000;
const PARTS = ['profile', 'funds', 'holdings', 'positions'] as const;
type Part = (typeof PARTS)[number];
const AUTH_CODES = new Set(['AUTH_FAILED', 'TOKEN_EXPIRED', 'PERMISSION_DENIED']);

class ReadTimeout extends Error {}

// The broker page's live view of a connected account: profile, funds, holdings and positions read through the
// plugin with the account's stored credentials (the same client the orders use). Each part fails on its own
// with a message the trader can act on; credentials never appear in an answer or a log.
export class BrokerAccountReadService {
  constructor(
    private readonly brokers: BrokerRegistry,
    private readonly router: BrokerRouter,
    private readonly accounts: BrokerAccountService,
  ) {}

  async details(
    em: EntityManager,
    user: User,
    broker: string,
    accountId?: string | null,
  ): Promise<BrokerAccountDetails | null> {
    const account = await findAccount(em, user.id, broker, accountId);
    if (!account) return null;
    const route = account.status === BrokerAccountStatus.CONNECTED ? this.router.accountRoute(account) : null;
    if (!route || !this.brokers.has(broker)) {
      return {
        account,
        problems: [
          { part: 'account', code: 'NOT_CONNECTED', message: notConnected(account, this.displayName(broker)) },
        ],
      };
    }
    const manifest = this.brokers.plugin(broker).manifest;
    const client = await this.brokers.client(broker, route.accountId, route.credentials, route.credentialsVersion);
    const results = await Promise.all(PARTS.map((part) => this.read(client, manifest, part, route)));
    const details: BrokerAccountDetails = { account, problems: [] };
    for (const [i, part] of PARTS.entries()) {
      const result = results[i];
      if ('problem' in result) details.problems.push(result.problem);
      else Object.assign(details, { [part]: result.value });
    }
    const refused = details.problems.find((p) => AUTH_CODES.has(p.code));
    if (refused) {
      // As when an order is refused: stop routing LIVE orders to a token the broker no longer takes
      await this.accounts.markExpired(user.id, broker, `${refused.code}: ${refused.message}`, account.id);
      await em.refresh(account);
    }
    return details;
  }

  private async read(
    client: BrokerClient,
    manifest: BrokerManifest,
    part: Part,
    route: BrokerRoute,
  ): Promise<{ value: unknown } | { problem: BrokerReadProblem }> {
    if (!manifest.has[part])
      return { problem: { part, code: 'NOT_SUPPORTED', message: `${manifest.displayName} does not report ${part}` } };
    try {
      return { value: await withTimeout(this.call(client, part)) };
    } catch (error) {
      const problem = describe(part, manifest.displayName, error, route.credentials);
      logger.warn('broker account read failed', {
        broker: manifest.name,
        accountId: route.accountId,
        part,
        code: problem.code,
      });
      return { problem };
    }
  }

  private async call(client: BrokerClient, part: Part): Promise<unknown> {
    switch (part) {
      case 'profile': {
        const p = await client.profile();
        return {
          clientIdMasked: p.clientId ? maskClientId(p.clientId) : undefined,
          name: p.name,
          tokenExpiresAt: p.tokenExpiresAt !== undefined ? new Date(p.tokenExpiresAt) : undefined,
          segments: p.segments ?? [],
        };
      }
      case 'funds': {
        const f = await client.funds();
        return { available: f.available, used: f.used, total: f.total };
      }
      case 'holdings':
        return (await client.holdings()).map((h) => ({
          symbol: h.instrument.symbol,
          securityId: h.instrument.securityId,
          exchangeSegment: h.instrument.exchangeSegment,
          quantity: h.quantity,
          averagePrice: h.averagePrice,
          lastPrice: h.lastPrice,
        }));
      case 'positions':
        return (await client.positions()).map((p) => ({
          symbol: p.instrument.symbol,
          securityId: p.instrument.securityId,
          exchangeSegment: p.instrument.exchangeSegment,
          product: p.product,
          netQuantity: p.netQuantity,
          averagePrice: p.averagePrice,
          realizedPnl: p.realizedPnl,
          unrealizedPnl: p.unrealizedPnl,
          lastPrice: p.lastPrice,
        }));
    }
  }

  private displayName(broker: string): string {
    return this.brokers.has(broker) ? this.brokers.plugin(broker).manifest.displayName : broker;
  }
}

function notConnected(account: BrokerAccount, name: string): string {
  if (account.status === BrokerAccountStatus.EXPIRED)
    return `${name} stopped accepting the access token: connect again with a new one`;
  return `Not connected to ${name}: connect with your client id and an access token`;
}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ReadTimeout()), READ_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

// What the trader reads: the broker's answer in plain words, never the credentials (a plugin's message might quote them)
function describe(part: Part, name: string, error: unknown, credentials: Record<string, string>): BrokerReadProblem {
  if (error instanceof ReadTimeout)
    return { part, code: 'TIMEOUT', message: `${name} did not answer within ${READ_TIMEOUT_MS / 1000} s; try again` };
  if (!isBrokerError(error))
    return { part, code: 'BROKER_ERROR', message: `Could not read ${part} from ${name}; try again` };
  const code = error.code;
  let message: string;
  if (AUTH_CODES.has(code))
    message = `${name} refused the access token (${code}): it has expired or was revoked; connect again with a new token`;
  else if (code === 'RATE_LIMITED') message = `${name} is limiting requests right now; try again in a few seconds`;
  else if (code === 'NETWORK_ERROR' || code === 'TIMEOUT' || code === 'BROKER_UNAVAILABLE')
    message = `${name} could not be reached (${code}); try again`;
  else message = `${name} answered ${code}: ${error.message}`;
  return { part, code, message: redact(message, credentials) };
}

function redact(text: string, credentials: Record<string, string>): string {
  return Object.values(credentials)
    .filter((v) => v.length >= 4)
    .reduce((out, secret) => out.split(secret).join('***'), text);
}
