// @algodatta/broker-paper: the built-in paper broker (default export and `plugin`)

import { AsyncResource } from 'node:async_hooks';
import type { BrokerContext } from '@algodatta/broker-sdk';
import { defineBroker, INDIAN_MARKET_CALENDAR, logIdleConnectionError } from '@algodatta/broker-sdk';
import { D } from './decimal';
import { makePool, SharedRegistry } from './db/pool-registry';
import { PaperEngine } from './engine/paper-engine';
import { PaperClient } from './paper-client';
import { PAPER_MANIFEST } from './paper.manifest';
import type { PaperOptions } from './paper.options';
import { paperOptionsSchema } from './paper.options';

export { PAPER_MANIFEST } from './paper.manifest';
export { paperOptionsSchema } from './paper.options';
export type { PaperOptions, PaperOptionsInput } from './paper.options';
export type { PaperBrokerClient, SquareOffRequest, SquareOffResult } from './paper-client';
export { PAPER_SQUARE_OFF_TIMES, PAPER_SESSION_END, IST_TIMEZONE } from './sessions.config';
export type { SquareOffSchedule } from './sessions.config';
// The calendar moved to the SDK (shared by any plugin for these exchanges); re-exported under the old names
export { SEGMENT_SESSIONS, marketState, nextOpenAfter, sessionOn, EXCHANGE_HOLIDAYS } from '@algodatta/broker-sdk';
export type { MarketState, SessionDay, ExchangeHoliday } from '@algodatta/broker-sdk';
export { CHARGE_RATES, GST_RATE } from './charges.config';
export type { ChargeCategory, ChargeRates } from './charges.config';
export { computeCharges, chargeCategory } from './charges.calc';
export type { ChargeBreakdown } from './charges.calc';

// One pool + engine per databaseUrl per process
const engines = new SharedRegistry<PaperEngine>(async (engine) => {
  await engine.pool.end();
});

function acquireEngine(options: PaperOptions, logger: BrokerContext['logger']): PaperEngine {
  return engines.acquire(options.databaseUrl, () => {
    const pool = makePool(options.databaseUrl, options.poolSize);
    // Idle-client errors (server restart) must not crash the process; the pool reconnects on the next query. A lost
    // connection is a warning, anything else an error (the SDK's one classifier). Bound to where the pool is made:
    // emitted from a socket, the error would otherwise carry the context (and correlation id) of whichever order
    // opened that connection.
    pool.on(
      'error',
      AsyncResource.bind((err: Error) => logIdleConnectionError(logger, 'paper', err)),
    );
    return new PaperEngine(pool, (e) => logger.error('paper: order update subscriber threw', { error: String(e) }));
  });
}

export const plugin = defineBroker<PaperOptions>({
  manifest: PAPER_MANIFEST,
  optionsSchema: paperOptionsSchema,
  // Settings the api read itself before plugins had options of their own
  envAliases: { PAPER_SLIPPAGE_BPS: 'slippageBps', PAPER_MARKET_HOURS: 'marketHours' },
  // Paper keeps the exchanges' hours like a broker would (the SDK's shared NSE/BSE/MCX calendar)
  marketHours: (options) => ({ enforce: options.marketHours === 'enforce', calendar: INDIAN_MARKET_CALENDAR }),
  async create(ctx, options) {
    const engine = acquireEngine(options, ctx.logger);
    const release = () => engines.release(options.databaseUrl);
    try {
      await engine.ready();
      await engine.ensureAccount(ctx.accountId, new D(options.initialCapital), ctx.clock.now());
    } catch (e) {
      await release();
      throw e;
    }
    return new PaperClient(engine, ctx, options, release);
  },
});

export default plugin;

/** Open pools (for tests and diagnostics). */
export function openPaperPools(): number {
  return engines.size();
}
