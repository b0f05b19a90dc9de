import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

// The process's Prometheus metrics. A low floor like the logger: any module may import it. Recording is a
// counter increment or a histogram observation, never I/O; gauges that need the database (queue depth, job lag)
// are read by their sources when /metrics is scraped, never on the order path.
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'algodatta_' });

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

const alerts = new Counter({
  name: 'algodatta_alerts_total',
  help: 'TradingView webhook answers by outcome (accepted, duplicate, rejected, unauthorized, invalid_payload, payload_too_large, rate_limited, internal_error) and reject reason',
  labelNames: ['outcome', 'reason'] as const,
  registers: [registry],
});
const alertAck = new Histogram({
  name: 'algodatta_alert_ack_seconds',
  help: 'From the webhook request to its answer (the 202 means the alert is stored)',
  labelNames: ['outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});
const executions = new Counter({
  name: 'algodatta_executions_total',
  help: 'Executions reaching each status (PENDING when created)',
  labelNames: ['status'] as const,
  registers: [registry],
});
const alertToPlaced = new Histogram({
  name: 'algodatta_alert_to_placed_seconds',
  help: 'From the alert to the broker accepting the order (ORDER_PLACED)',
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});
const alertToFill = new Histogram({
  name: 'algodatta_alert_to_fill_seconds',
  help: 'From the alert to the order being completely filled',
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});
const brokerRequests = new Histogram({
  name: 'algodatta_broker_request_seconds',
  help: 'Broker client calls by broker, method and outcome (ok or error)',
  labelNames: ['broker', 'method', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});
const brokerErrors = new Counter({
  name: 'algodatta_broker_errors_total',
  help: 'Broker client calls that failed, by broker, method and error code',
  labelNames: ['broker', 'method', 'code'] as const,
  registers: [registry],
});
const notifications = new Counter({
  name: 'algodatta_notification_deliveries_total',
  help: 'Notification delivery attempts (one message or one digest) by channel kind (TELEGRAM, EMAIL) and result (SENT, FAILED; a failed attempt may be retried)',
  labelNames: ['kind', 'status'] as const,
  registers: [registry],
});

export type QueueDepthSource = () => Promise<Map<string, number>> | Map<string, number>;
export type JobLagSource = () => Promise<Map<string, number>>;

let queueDepthSource: QueueDepthSource | undefined;
let jobLagSource: JobLagSource | undefined;

// Gauges are filled from their sources at scrape time; a failing source leaves the gauge empty, never the scrape
new Gauge({
  name: 'algodatta_executor_queue_depth',
  help: 'Orders waiting to be placed, per tenant (user id)',
  labelNames: ['tenant'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    const depths = await Promise.resolve(queueDepthSource?.()).catch(() => undefined);
    for (const [tenant, depth] of depths ?? []) this.set({ tenant }, depth);
  },
});
new Gauge({
  name: 'algodatta_job_lag_seconds',
  help: 'How long the oldest due job of each name has waited past its run time (0: none waiting)',
  labelNames: ['job'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    const lags = await jobLagSource?.().catch(() => undefined);
    for (const [job, lag] of lags ?? []) this.set({ job }, lag);
  },
});

export const metrics = {
  alertAnswered(outcome: string, reason: string, seconds: number): void {
    alerts.inc({ outcome, reason });
    alertAck.observe({ outcome }, seconds);
  },
  executionStatus(status: string): void {
    executions.inc({ status });
  },
  alertToPlaced(seconds: number): void {
    alertToPlaced.observe(seconds);
  },
  alertToFill(seconds: number): void {
    alertToFill.observe(seconds);
  },
  brokerRequest(broker: string, method: string, seconds: number, errorCode?: string): void {
    brokerRequests.observe({ broker, method, outcome: errorCode === undefined ? 'ok' : 'error' }, seconds);
    if (errorCode !== undefined) brokerErrors.inc({ broker, method, code: errorCode });
  },
  // For the notification sender: one call per delivery attempt that ended
  notificationDelivered(kind: string, status: 'SENT' | 'FAILED'): void {
    notifications.inc({ kind, status });
  },
  // The executor may replace the default (a database count) with its own per-tenant queue sizes
  setQueueDepthSource(source: QueueDepthSource | undefined): void {
    queueDepthSource = source;
  },
  setJobLagSource(source: JobLagSource | undefined): void {
    jobLagSource = source;
  },
};
