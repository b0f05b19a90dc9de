import Decimal from 'decimal.js';
import type { BrokerRouter } from '../brokers/broker-route';
import type { BrokerRegistry } from '../brokers/plugin-registry';
import type { StrategySnapshot } from '../strategies/strategy-snapshot';
import { logger } from '../../shared/logger';

// How long a broker account's funds are used for sizing, and when a use starts a refresh in the background
export const FUNDS_MAX_AGE_MS = 30_000;
export const FUNDS_REFRESH_AFTER_MS = 10_000;
const MAX_ACCOUNTS = 10_000;

type Entry = { value?: Decimal; at: number; reading?: Promise<Decimal> };

// The capital a percent-of-capital entry is sized from: the available funds of the account the strategy's orders
// go to (paper: its paper account; LIVE: the connected broker account), read through the SDK's funds().
//
// A broker's funds are read on the webhook's path, before the 202: a slow broker would hold the answer (and
// TradingView resends after 3 s). So a LIVE account's funds are kept per account (broker + account id) for
// FUNDS_MAX_AGE_MS (30 s): an alert within that time sizes from the kept value at once, and one past
// FUNDS_REFRESH_AFTER_MS (10 s) also starts a refresh in the background (one read at a time per account), so an
// account that trades at least every 30 s never waits on its broker again. The first alert of an account, or one
// after 30 s without any, waits for the read as before. The trade-off: an entry may be sized from funds up to 30 s
// old (an order placed in those 30 s is not yet taken off). A failed refresh keeps the kept value until it is
// too old. The paper venue's funds are our own book (no broker to wait on, and each fill changes them): read
// every time.
export class AccountCapital {
  private readonly funds = new Map<string, Entry>();

  constructor(
    private readonly router: BrokerRouter,
    private readonly brokers: BrokerRegistry,
    private readonly now: () => number = Date.now,
  ) {}

  async available(strategy: StrategySnapshot): Promise<Decimal | null> {
    const route = await this.router.route(strategy);
    if (!route) return null;
    const plugin = this.brokers.plugin(route.broker);
    if (!plugin.manifest.has.funds) return null;
    const read = async () => {
      const client = await this.brokers.client(
        route.broker,
        route.accountId,
        route.credentials,
        route.credentialsVersion,
      );
      return new Decimal((await client.funds()).available);
    };
    if (plugin.manifest.paper) return read();
    const key = `${route.broker}:${route.accountId}`;
    const kept = this.funds.get(key);
    const age = kept?.value ? this.now() - kept.at : Infinity;
    if (kept?.value && age < FUNDS_MAX_AGE_MS) {
      if (age >= FUNDS_REFRESH_AFTER_MS)
        this.read(key, read).catch((error: Error) =>
          logger.warn('account funds refresh failed', { broker: route.broker, error: error.message }),
        );
      return kept.value;
    }
    return this.read(key, read);
  }

  // One read at a time per account: callers meanwhile share it
  private read(key: string, read: () => Promise<Decimal>): Promise<Decimal> {
    const kept = this.funds.get(key);
    if (kept?.reading) return kept.reading;
    const started = this.now();
    const reading = read().then(
      (value) => {
        this.funds.set(key, { value, at: started });
        return value;
      },
      (error: unknown) => {
        const now = this.funds.get(key);
        if (now?.reading === reading) this.funds.set(key, { value: now.value, at: now.at });
        throw error;
      },
    );
    if (!kept && this.funds.size >= MAX_ACCOUNTS) this.funds.clear();
    this.funds.set(key, { value: kept?.value, at: kept?.at ?? 0, reading });
    return reading;
  }
}
