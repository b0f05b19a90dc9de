import { MikroORM } from '@mikro-orm/postgresql';
import { ExecutionEventType, ExecutionStatus, OrderSide, OrderType, TradingMode } from '../../shared/enums';
import { istParts } from '../../shared/ist';
import { logger } from '../../shared/logger';
import { newCorrelationId } from '../../shared/request-context';
import { Alert } from '../alerts/alert.entity';
import { PAPER_BROKER } from '../brokers/broker-route';
import { Position } from '../positions/position.entity';
import { ExecutionEventsService, PendingEvent } from './execution-events.service';
import { Execution } from './execution.entity';
import type { ExecutorService } from './executor.service';
import { clientOrderIdFor } from './order-request.builder';

// Intraday auto square-off: at the segment's IST time every open INTRADAY paper position gets an EXIT
// through the normal pipeline (so it has an execution, events, charges and P&L like any other order).
// The idempotency key holds the IST date and time, so a job that runs twice squares off once.
export class SquareOffService {
  constructor(private readonly orm: MikroORM, private readonly events: ExecutionEventsService, private readonly executor: ExecutorService, private readonly now: () => Date = () => new Date()) {}

  async run(segments: string[], time: string): Promise<number> {
    const em = this.orm.em.fork();
    const open = await em.find(Position, {
      mode: TradingMode.PAPER, qty: { $ne: '0' },
      strategy: { productType: 'INTRADAY', exchangeSegment: { $in: segments }, deletedAt: null },
    }, { populate: ['strategy'] });
    const key = `square-off:${istParts(this.now()).date}:${time}`;
    const started: Execution[] = [];
    for (const position of open) {
      const published: PendingEvent[] = [];
      const execution = await em.fork().transactional(async (tx) => {
        const strategy = position.strategy;
        const inserted = await tx.getConnection().execute<{ id: string }[]>(
          `insert into alerts (id, created_at, updated_at, strategy_id, idempotency_key, raw_body, payload, received_at, status, correlation_id)
           values (gen_random_uuid(), now(), now(), ?, ?, '', ?, now(), 'RECEIVED', ?) on conflict (strategy_id, idempotency_key) do nothing returning id`,
          [strategy.id, `${key}:${position.symbol}`, JSON.stringify({ side: 'EXIT', source: 'square_off' }), newCorrelationId()], 'all', tx.getTransactionContext(),
        );
        if (!inserted[0]) return null;
        const alert = await tx.findOneOrFail(Alert, inserted[0].id);
        const ex = tx.create(Execution, {
          strategy, user: strategy.user, alert, correlationId: alert.correlationId, clientOrderId: '', source: 'square_off',
          symbol: position.symbol, exchangeSegment: strategy.exchangeSegment, side: OrderSide.EXIT, orderType: OrderType.MARKET,
          productType: strategy.productType, qty: '0', mode: TradingMode.PAPER, broker: PAPER_BROKER, status: ExecutionStatus.PENDING,
          price: position.lastPrice,
        });
        ex.clientOrderId = clientOrderIdFor(ex.id);
        published.push(this.events.record(tx, ex, ExecutionEventType.ALERT_RECEIVED, { source: 'square_off', time }));
        return ex;
      });
      this.events.publish(published);
      if (execution) started.push(execution);
    }
    for (const execution of started) await this.executor.run(execution.id);
    if (started.length) logger.info('intraday square-off', { time, segments, positions: started.length });
    return started.length;
  }
}
