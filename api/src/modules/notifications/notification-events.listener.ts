import type { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../../db/query';
import { AppPubSub, TOPICS } from '../../graphql/pubsub';
import { ExecutionEventType, NotificationEvent } from '../../shared/enums';
import { logger } from '../../shared/logger';
import { MicroBatcher } from '../../shared/micro-batcher';
import type { ExecutionEventMessage } from '../executions/execution-event.types';
import type { NotificationAudience } from './notification-audience';

const EVENT_FOR: Partial<Record<ExecutionEventType, NotificationEvent>> = {
  [ExecutionEventType.ALERT_RECEIVED]: NotificationEvent.ALERT_RECEIVED,
  [ExecutionEventType.ORDER_PLACED]: NotificationEvent.ORDER_PLACED,
  [ExecutionEventType.ORDER_FILLED]: NotificationEvent.ORDER_FILLED,
  [ExecutionEventType.ORDER_REJECTED]: NotificationEvent.ORDER_REJECTED,
  [ExecutionEventType.ERROR]: NotificationEvent.ERROR,
  [ExecutionEventType.AWAITING_APPROVAL]: NotificationEvent.AWAITING_APPROVAL,
};

type Row = {
  user_id: string;
  event: string;
  strategy_id: string;
  execution_id: string;
  data: Record<string, unknown>;
  admins: boolean;
};

// One statement for any number of events
const INSERT_SQL = `
insert into notification_outbox (id, created_at, updated_at, user_id, event, strategy_id, execution_id, data, everyone, admins)
select gen_random_uuid(), now() + x.ord * interval '1 microsecond', now(), x.user_id, x.event, x.strategy_id, x.execution_id, x.data, false, x.admins
from jsonb_to_recordset(?::jsonb) as x(ord int, user_id uuid, event text, strategy_id uuid, execution_id uuid, data jsonb, admins boolean)`;

// Order events reach notifications from this process's own publications, after their transaction committed (the
// process that published an event writes its notification: once in the cluster): the order path never waits for
// (or fails on) a notification. Events nobody can hear are dropped here; the rest are written
// to the outbox in batches (one statement per batch, one at a time), then the dispatcher is woken.
export class NotificationEventsListener {
  private iterator?: AsyncIterator<ExecutionEventMessage>;
  private readonly writes: MicroBatcher<Row, undefined>;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly pubSub: AppPubSub,
    private readonly audience: NotificationAudience,
    private readonly em: () => EntityManager,
    private readonly written: () => void,
  ) {
    this.writes = new MicroBatcher(
      async (rows) => {
        await query(this.em(), INSERT_SQL, [JSON.stringify(rows.map((row, ord) => ({ ...row, ord })))]);
        this.written();
        return rows.map(() => undefined);
      },
      { maxInFlight: 1, maxBatch: 500 },
    );
  }

  start(): void {
    const iterator = this.pubSub.subscribeOwn(TOPICS.EXECUTION_EVENT)[Symbol.asyncIterator]();
    this.iterator = iterator;
    void (async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        this.take(next.value);
      }
    })().catch((error) => logger.error('notification events listener stopped', { error }));
  }

  take(message: ExecutionEventMessage): void {
    const event = EVENT_FOR[message.type];
    if (!event) return;
    const payload = (message.payload ?? {}) as Record<string, unknown>;
    // A dead letter has its own notification (written with it); its ERROR event would say the same again
    if (payload.deadLetter) return;
    const system = message.type === ExecutionEventType.ERROR && payload.code === 'internal_error';
    if (!system && !this.audience.wants(message.userId, event)) return;
    const row: Row = {
      user_id: message.userId,
      event,
      strategy_id: message.strategyId,
      execution_id: message.executionId,
      data: { ...payload, at: message.at.toISOString() },
      admins: system,
    };
    const write = this.writes.submit(row).then(
      () => undefined,
      (error: unknown) => {
        logger.error('could not record a notification', { event, executionId: message.executionId, error });
      },
    );
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
  }

  // Stops listening and waits for what was taken to be written
  async stop(): Promise<void> {
    await this.iterator?.return?.();
    await Promise.all([...this.pending]);
  }
}
