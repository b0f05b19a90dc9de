import type { AppPubSub } from '../graphql/pubsub';
import { TOPICS } from '../graphql/pubsub';
import type { ExecutionEventMessage } from '../modules/executions/execution-event.types';
import { ExecutionEventType } from '../shared/enums';
import { RecentMap } from '../shared/recent-map';
import { metrics } from './metrics';

// Executions by status and the alert->placed / alert->fill latencies, read off the execution events every
// state change publishes (after its commit). Listening here keeps the order path free of metrics code.
export class ExecutionEventMetrics {
  // When each recent alert arrived (its ALERT_RECEIVED event); a fill of an alert from before a restart has none
  private readonly received = new RecentMap<string, number>(50_000);

  observe(event: ExecutionEventMessage): void {
    const at = new Date(event.at).getTime();
    const payload = (event.payload ?? {}) as Record<string, unknown>;
    switch (event.type) {
      case ExecutionEventType.ALERT_RECEIVED:
        this.received.set(event.alertId, at);
        metrics.executionStatus('PENDING');
        return;
      case ExecutionEventType.AWAITING_APPROVAL:
        metrics.executionStatus('AWAITING_APPROVAL');
        return;
      case ExecutionEventType.APPROVED:
        // The trader's thinking time is not ours: the latencies count from the approval
        this.received.set(event.alertId, at);
        metrics.executionStatus('PENDING');
        return;
      case ExecutionEventType.ORDER_PLACED:
        metrics.executionStatus('PLACED');
        this.since(event.alertId, at, (s) => metrics.alertToPlaced(s));
        return;
      case ExecutionEventType.ORDER_FILLED:
        if (payload.complete === false) {
          metrics.executionStatus('PARTIALLY_FILLED');
          return;
        }
        metrics.executionStatus('FILLED');
        this.since(event.alertId, at, (s) => metrics.alertToFill(s));
        this.received.delete(event.alertId);
        return;
      case ExecutionEventType.ORDER_REJECTED:
        metrics.executionStatus('REJECTED');
        this.received.delete(event.alertId);
        return;
      case ExecutionEventType.ORDER_CANCELLED:
        metrics.executionStatus('CANCELLED');
        this.received.delete(event.alertId);
        return;
      case ExecutionEventType.ERROR:
        // A retry is still PENDING; only a dead letter ends the execution
        if (payload.deadLetter === true) metrics.executionStatus('FAILED');
        return;
      case ExecutionEventType.EXIT_PLAN:
        // The plan's story on a filled entry: no status change (its exit is an execution of its own)
        return;
    }
  }

  private since(alertId: string, at: number, record: (seconds: number) => void): void {
    const received = this.received.get(alertId);
    if (received !== undefined) record(Math.max(0, at - received) / 1000);
  }
}

// Consumes this process's execution events until stop() is called (each process counts what it did itself)
export function observeExecutionEvents(pubSub: AppPubSub): { stop(): Promise<void> } {
  const observer = new ExecutionEventMetrics();
  const events = pubSub.subscribeOwn(TOPICS.EXECUTION_EVENT);
  const done = (async () => {
    for await (const event of events) observer.observe(event);
  })();
  return {
    async stop() {
      await events.return?.();
      await done.catch(() => undefined);
    },
  };
}
