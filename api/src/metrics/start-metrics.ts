import type { MikroORM } from '@mikro-orm/postgresql';
import type { Agenda } from 'agenda';
import type { AppConfig } from '../config/env.schema';
import type { AppPubSub } from '../graphql/pubsub';
import { logger } from '../shared/logger';
import { observeExecutionEvents } from './execution-events.metrics';
import { metrics } from './metrics';
import { agendaJobLag, databaseQueueDepth } from './metric-sources';
import { startMetricsServer } from './metrics.http';

// Wires the metric sources of one running api, and the METRICS_PORT listener when configured
export async function startMetrics(
  config: Pick<AppConfig, 'METRICS_TOKEN' | 'METRICS_PORT' | 'METRICS_HOST'>,
  orm: MikroORM,
  pubSub: AppPubSub,
  agenda: Agenda,
): Promise<{ port?: number; stop(): Promise<void> }> {
  metrics.setQueueDepthSource(databaseQueueDepth(orm));
  metrics.setJobLagSource(agendaJobLag(agenda));
  const events = observeExecutionEvents(pubSub);
  const server =
    config.METRICS_PORT === undefined
      ? undefined
      : await startMetricsServer(config.METRICS_PORT, config.METRICS_HOST, { token: config.METRICS_TOKEN });
  if (server) logger.info('metrics listening', { port: server.port, host: config.METRICS_HOST });
  return {
    port: server?.port,
    async stop() {
      await server?.close();
      await events.stop();
      metrics.setQueueDepthSource(undefined);
      metrics.setJobLagSource(undefined);
    },
  };
}
