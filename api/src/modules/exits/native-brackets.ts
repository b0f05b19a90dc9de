import type { BracketLeg } from '@algodatta/broker-sdk';
import type { Sql } from '../../db/sql';
import { D } from '../../shared/decimal';
import { logger } from '../../shared/logger';
import type { AlertIntakeService, IntakeResult } from '../alerts/alert-intake.service';
import type { BrokerRouter } from '../brokers/broker-route';
import { bracketFactKey, bracketKey, bracketWorking, type BracketLegRef } from '../executions/placement/bracket';
import { acceptedFor, type ExecutorService } from '../executions/placement/executor.service';
import type { OrderInstrument } from '../instruments/instrument-resolver';
import { loadStrategy, type StrategySnapshot } from '../strategies/strategy-snapshot';

type BracketEntry = {
  id: string;
  strategy_id: string;
  user_id: string;
  symbol: string;
  mode: string;
  broker: string;
  broker_account_id: string | null;
  client_order_id: string;
  broker_order_id: string | null;
  status: string;
  exchange_segment: string;
  security_id: string | null;
  lot_size: string;
  tick_size: string;
};

// An exit execution already adopted one of the bracket's legs (the bracket is over for the core)
const BOOKED = `select 1 from executions x where x.strategy_id = e.strategy_id and x.source = 'exit'
  and x.created_at >= e.created_at and x.broker_request->'bracketLeg'->>'entryExecutionId' = e.id::text`;

// Its instrument as placed: what a leg's exit execution is booked on (a placed entry has its lot and tick sizes)
const ENTRY = `select id, strategy_id, user_id, symbol, mode, broker, broker_account_id, client_order_id, broker_order_id, status,
    exchange_segment, security_id, coalesce(lot_size, 1)::text as lot_size, coalesce(tick_size, 0.05)::text as tick_size
  from executions where id = ? and broker_request->'bracket' is not null`;

// The execution an alert made ended refused (the door rules refused a leg's booking before facts skipped them)
const REFUSED = `select 1 from executions where alert_id = ? and status = 'REJECTED'`;

// Filled native bracket entries of the last week whose exit legs are not booked yet: watched again after a restart
const ACTIVE = `select e.id from executions e
  where e.mode = 'LIVE' and e.status in ('PARTIALLY_FILLED', 'FILLED') and e.created_at > now() - interval '7 days'
    and e.broker_request->'bracket' is not null
    and not exists (${BOOKED})`;

// Native brackets (issue 18; the entry went as one bracket order, executions/placement/bracket.ts): the broker holds
// the target and the stop and does the OCO; the core only observes. Once the entry filled, the bracket is read back
// through the plugin (getBracketOrder) every BRACKET_POLL_MS until it is no longer working; an exit leg that filled
// becomes ONE exit execution (source exit, idempotency key bracket:<entry>:<leg>, so a second process, a replay or a
// restart books it once; a fact the door rules do not judge, so the kill switch or a paused strategy never refuses
// it), whose attempt sends nothing: it adopts the leg's order and fills (executor.service.ts),
// which move the position and book P&L like any fill. A fact is never lost: one whose account has no route when it is
// attempted is retried, then dead-lettered (executor.service.ts), and one whose first booking was refused is booked
// once under a second key (book).
export class NativeBrackets {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly sql: Sql,
    private readonly intake: AlertIntakeService,
    private readonly executor: ExecutorService,
    private readonly router: BrokerRouter,
    private readonly pollMs: number,
    // The restart's read of every open bracket, planned on each run (unprepared): as a prepared statement its generic
    // plan, made on empty tables, would keep scanning executions
    private readonly adHoc: Sql = sql,
  ) {}

  watch(entryExecutionId: string): void {
    if (this.stopped || this.timers.has(entryExecutionId)) return;
    this.schedule(entryExecutionId, 0);
  }

  async resume(): Promise<void> {
    for (const row of await this.adHoc.query<{ id: string }>(ACTIVE, [])) this.watch(row.id);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(id: string, ms: number): void {
    const timer = setTimeout(() => void this.tick(id), ms);
    timer.unref?.();
    this.timers.set(id, timer);
  }

  private async tick(id: string): Promise<void> {
    let again = true;
    try {
      again = await this.check(id);
    } catch (error) {
      logger.warn('native bracket read-back failed', { entryExecutionId: id, error: (error as Error).message });
    }
    this.timers.delete(id);
    if (again && !this.stopped) this.schedule(id, this.pollMs);
  }

  // Reads the bracket once, books every exit leg that has filled; true while the broker still works it
  async check(entryExecutionId: string): Promise<boolean> {
    const [entry] = await this.sql.query<BracketEntry>(ENTRY, [entryExecutionId]);
    if (!entry || !['PLACED', 'PARTIALLY_FILLED', 'FILLED'].includes(entry.status)) return false;
    const route = await this.router.routeFor({
      mode: entry.mode,
      broker: entry.broker,
      accountId: entry.broker_account_id,
      strategyId: entry.strategy_id,
      userId: entry.user_id,
    });
    // The account is not connected now: the bracket is read again later
    if (!route) return true;
    const client = await this.executor.clientFor(
      route.broker,
      route.accountId,
      route.credentials,
      route.credentialsVersion,
    );
    if (!client.getBracketOrder) return false;
    const bracket = await client.getBracketOrder({
      clientOrderId: entry.client_order_id,
      ...(entry.broker_order_id && { brokerOrderId: entry.broker_order_id }),
    });
    // A leg booked before is a duplicate here; a failure to book throws, and the bracket is read again
    for (const leg of bracket.legs)
      if (leg.leg !== 'entry' && leg.brokerOrderId && new D(leg.filledQuantity).gt(0)) await this.book(entry, leg);
    return bracketWorking(bracket);
  }

  // The leg's exit execution, made once: its key is the leg's own, and a fill that already happened is booked
  // whatever the door rules say (a kill switch turned on after the fill does not refuse it). A leg whose booking
  // under that key ended REJECTED (refused at the door before facts skipped the rules) would be a duplicate forever:
  // it is booked once more under a second key of its own (bracketFactKey), so still once however often it is seen.
  private async book(entry: BracketEntry, leg: BracketLeg): Promise<void> {
    const strategy = await loadStrategy(this.sql, entry.strategy_id);
    if (!strategy) return;
    const first = await this.accept(strategy, entry, leg, bracketKey(entry.id, leg.leg));
    const refused = first.kind === 'duplicate' && (await this.sql.query(REFUSED, [first.alertId])).length > 0;
    if (refused) await this.accept(strategy, entry, leg, bracketFactKey(entry.id, leg.leg));
  }

  private async accept(
    strategy: StrategySnapshot,
    entry: BracketEntry,
    leg: BracketLeg,
    idempotencyKey: string,
  ): Promise<IntakeResult> {
    const ref: BracketLegRef = {
      entryExecutionId: entry.id,
      leg: leg.leg as BracketLegRef['leg'],
      brokerOrderId: leg.brokerOrderId!,
      qty: new D(leg.quantity).toFixed(),
    };
    const reason = leg.leg === 'target' ? 'take_profit' : 'stop_loss';
    const result = await this.intake.accept(
      strategy,
      {
        secret: '',
        idempotencyKey,
        symbol: entry.symbol,
        side: 'EXIT',
        orderType: 'MARKET',
        extras: { source: 'exit', reason, native: true, bracket: ref },
      },
      '',
      '',
      'exit',
      { fact: true, instrument: instrumentOf(entry) },
    );
    if (result.kind === 'rejected')
      logger.error('a native bracket leg filled at the broker but its exit was refused', {
        entryExecutionId: entry.id,
        leg: ref.leg,
        reason: result.reason,
      });
    if (result.kind !== 'accepted') return result;
    logger.info('native bracket leg filled', { entryExecutionId: entry.id, leg: ref.leg });
    // The execution adopts the leg's order and its fills; it sends nothing (executor.service.ts), so the kill switch
    // lets it run as any exit
    this.executor.start(acceptedFor(strategy, result));
    return result;
  }
}

const instrumentOf = (entry: BracketEntry): OrderInstrument => ({
  symbol: entry.symbol,
  exchangeSegment: entry.exchange_segment,
  ...(entry.security_id && { securityId: entry.security_id }),
  lotSize: entry.lot_size,
  tickSize: entry.tick_size,
});
