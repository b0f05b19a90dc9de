import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../../db/query';
import { emSql, type Sql } from '../../db/sql';
import { badInput, forbidden, notFound } from '../../shared/app-error';
import { D } from '../../shared/decimal';
import { ExecutionEventType, ExecutionStatus, OrderSide, OrderType, Role, TradingMode } from '../../shared/enums';
import { assertId } from '../../shared/ids';
import { newCorrelationId } from '../../shared/request-context';
import type { BrokerRegistry } from '../brokers/plugin-registry';
import { ExecutionEventsService } from '../executions/execution-events.service';
import { Execution } from '../executions/execution.entity';
import type { ExecutorService } from '../executions/placement/executor.service';
import { clientOrderIdFor } from '../executions/placement/order-request.builder';
import { latestMarks, markKey } from '../positions/mark-prices.sql';
import { Position } from '../positions/position.entity';
import { Strategy } from '../strategies/strategy.entity';
import type { User } from '../users/user.entity';
import { insertAlertWithExecution } from './alert-insert.sql';

export type CloseRequest = { strategyId: string; symbol: string; mode?: TradingMode; requestId?: string };

// The instrument the position was traded with (security id, lot and tick size), from its newest execution
const INSTRUMENT_SQL = `select exchange_segment, security_id, lot_size, tick_size from executions
  where strategy_id = ? and symbol = ? and mode = ? and security_id is not null order by created_at desc limit 1`;

// "Close" on the positions page: an internal EXIT alert for one position, through the same pipeline as any
// alert (as the intraday square-off does), so it gets an execution, events, charges and P&L. Like square-off it
// only reduces risk: it is not held back by the strategy being disabled, its trading window or the kill switch.
// The caller's requestId makes a repeated click (or a resent form) one close.
export class PositionCloseService {
  // sql: the order path's pool, as the webhook's inserts use (its statements take arrays; the ORM's connection expands them)
  constructor(
    private readonly sql: Sql,
    private readonly events: ExecutionEventsService,
    private readonly executor: ExecutorService,
    private readonly brokers: Pick<BrokerRegistry, 'paperBroker'>,
  ) {}

  async close(em: EntityManager, user: User, request: CloseRequest): Promise<Execution> {
    if (request.requestId !== undefined && (request.requestId.length < 1 || request.requestId.length > 100)) {
      throw badInput('requestId must be 1-100 characters', [{ path: 'requestId', message: '1-100 characters' }]);
    }
    const strategy = await this.ownStrategy(em, user, request.strategyId);
    const symbol = request.symbol.trim().toUpperCase();
    const positions = await em.find(Position, {
      strategy: strategy.id,
      symbol,
      ...(request.mode && { mode: request.mode }),
    });
    // The same request again, even after its close went through: the first close's execution
    for (const p of request.requestId ? positions : []) {
      const earlier = await em.findOne(Execution, {
        alert: { strategy: strategy.id, idempotencyKey: closeKey(p, request.requestId!) },
      });
      if (earlier) return earlier;
    }
    const position = openOne(strategy, symbol, positions);
    if (position.mode !== strategy.mode) {
      throw badInput(
        `This ${position.mode} position belongs to a strategy now in ${strategy.mode} mode: switch the strategy back to ${position.mode} to close it here`,
      );
    }
    const mark = (
      await latestMarks(emSql(em), [
        {
          strategyId: strategy.id,
          userId: user.id,
          symbol: position.symbol,
          exchangeSegment: strategy.exchangeSegment,
        },
      ])
    ).get(markKey({ strategyId: strategy.id, symbol: position.symbol }));
    const [instrument] = await query<{
      exchange_segment: string;
      security_id: string;
      lot_size: string | null;
      tick_size: string | null;
    }>(em, INSTRUMENT_SQL, [strategy.id, position.symbol, position.mode]);
    const id = randomUUID();
    const correlationId = newCorrelationId();
    const inserted = await insertAlertWithExecution(this.sql, {
      strategyId: strategy.id,
      userId: user.id,
      idempotencyKey: closeKey(position, request.requestId ?? randomUUID()),
      rawBody: '',
      payload: { side: 'EXIT', symbol: position.symbol, source: 'close' },
      correlationId,
      sourceIp: '',
      events: [
        {
          type: ExecutionEventType.ALERT_RECEIVED,
          payload: { source: 'close', side: 'EXIT', symbol: position.symbol, price: mark?.price ?? null },
        },
      ],
      execution: {
        id,
        clientOrderId: clientOrderIdFor(id),
        symbol: position.symbol,
        exchangeSegment: instrument?.exchange_segment ?? strategy.exchangeSegment,
        securityId: instrument?.security_id ?? null,
        lotSize: instrument?.lot_size ?? null,
        tickSize: instrument?.tick_size ?? null,
        side: OrderSide.EXIT,
        orderType: OrderType.MARKET,
        productType: strategy.productType,
        qty: '0',
        price: mark?.price ?? position.lastPrice ?? null,
        triggerPrice: null,
        mode: position.mode,
        broker: position.mode === TradingMode.PAPER ? this.brokers.paperBroker() : strategy.broker,
        status: ExecutionStatus.PENDING,
        rejectReason: null,
        lastError: null,
        source: 'close',
        // Paper: the strategy's paper account; LIVE: the user's account at the broker (a strategy cannot change broker
        // while a position is open)
        brokerAccountId: position.mode === TradingMode.PAPER ? strategy.id : (strategy.brokerAccountId ?? null),
      },
    });
    if (!inserted.inserted) {
      // The same request again: the first close's execution
      return em.findOneOrFail(Execution, { alert: inserted.alertId });
    }
    this.events.publish(inserted.events.map((message) => ({ message })));
    this.executor.start({
      executionId: id,
      correlationId,
      strategyId: strategy.id,
      userId: user.id,
      symbol: position.symbol,
      mode: position.mode,
    });
    return em.findOneOrFail(Execution, id);
  }

  private async ownStrategy(em: EntityManager, user: User, id: string): Promise<Strategy> {
    const strategy = await em.findOne(Strategy, { id: assertId(id, 'strategyId'), deletedAt: null });
    if (!strategy || (strategy.user.id !== user.id && user.role !== Role.ADMIN)) throw notFound('Strategy');
    // Admins read every position but trade only their own
    if (strategy.user.id !== user.id) throw forbidden('Only the owner of a strategy can close its positions');
    return strategy;
  }
}

const closeKey = (position: Position, requestId: string) => `close:${position.id}:${requestId}`;

function openOne(strategy: Strategy, symbol: string, positions: Position[]): Position {
  const open = positions.filter((p) => !new D(p.qty).isZero());
  if (open.length === 0)
    throw badInput(`There is no open position in ${symbol} on “${strategy.name}”`, [
      { path: 'symbol', message: 'no open position' },
    ]);
  if (open.length > 1)
    throw badInput(`“${strategy.name}” holds ${symbol} in both PAPER and LIVE: say which to close`, [
      { path: 'mode', message: 'required' },
    ]);
  return open[0];
}
