import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { ExecutionEventType, ExecutionStatus, OrderSide, OrderType, TradingMode } from '../../shared/enums';
import { istParts } from '../../shared/ist';
import { logger } from '../../shared/logger';
import { newCorrelationId } from '../../shared/request-context';
import { insertAlertWithExecution } from './alert-insert.sql';
import { emSql } from '../../db/sql';
import type { BrokerRegistry } from '../brokers/plugin-registry';
import { Position } from '../positions/position.entity';
import { ExecutionEventsService } from '../executions/execution-events.service';
import type { ExecutorService } from '../executions/placement/executor.service';
import { clientOrderIdFor } from '../executions/placement/order-request.builder';

// Intraday auto square-off: at the segment's IST time every open INTRADAY paper position gets an EXIT
// through the normal pipeline (so it has an execution, events, charges and P&L like any other order).
// The idempotency key holds the IST date and time, so a job that runs twice squares off once.
export class SquareOffService {
  constructor(
    private readonly orm: MikroORM,
    private readonly events: ExecutionEventsService,
    private readonly executor: ExecutorService,
    private readonly brokers: Pick<BrokerRegistry, 'paperBroker'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async run(segments: string[], time: string): Promise<number> {
    const em = this.orm.em.fork();
    const open = await em.find(
      Position,
      {
        mode: TradingMode.PAPER,
        qty: { $ne: '0' },
        strategy: { productType: 'INTRADAY', exchangeSegment: { $in: segments }, deletedAt: null },
      },
      { populate: ['strategy'] },
    );
    const key = `square-off:${istParts(this.now()).date}:${time}`;
    const started: string[] = [];
    for (const position of open) {
      const strategy = position.strategy;
      const id = randomUUID();
      // The same statement the webhook uses: atomic, and the unique key makes a second run of the job a no-op
      const inserted = await insertAlertWithExecution(emSql(em), {
        strategyId: strategy.id,
        userId: strategy.user.id,
        idempotencyKey: `${key}:${position.symbol}`,
        rawBody: '',
        payload: { side: 'EXIT', source: 'square_off' },
        correlationId: newCorrelationId(),
        sourceIp: '',
        events: [{ type: ExecutionEventType.ALERT_RECEIVED, payload: { source: 'square_off', time } }],
        execution: {
          id,
          clientOrderId: clientOrderIdFor(id),
          symbol: position.symbol,
          exchangeSegment: strategy.exchangeSegment,
          securityId: null,
          lotSize: null,
          tickSize: null,
          side: OrderSide.EXIT,
          orderType: OrderType.MARKET,
          productType: strategy.productType,
          qty: '0',
          price: position.lastPrice ?? null,
          triggerPrice: null,
          mode: TradingMode.PAPER,
          broker: this.brokers.paperBroker(),
          status: ExecutionStatus.PENDING,
          rejectReason: null,
          lastError: null,
          source: 'square_off',
          brokerAccountId: strategy.id,
        },
      });
      if (!inserted.inserted) continue;
      this.events.publish(inserted.events.map((message) => ({ message })));
      started.push(id);
    }
    for (const id of started) await this.executor.run(id);
    if (started.length) logger.info('intraday square-off', { time, segments, positions: started.length });
    return started.length;
  }
}
