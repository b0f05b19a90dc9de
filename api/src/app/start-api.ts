import type { AddressInfo } from 'node:net';
import { loadConfig, describeConfig } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import { openDatabase, Database } from '../db/database';
import { seed } from '../db/seed';
import { createAppPubSub } from '../graphql/pubsub';
import { buildAppSchema } from '../graphql/schema';
import { logger } from '../shared/logger';
import { BrokerRegistry } from '../modules/brokers/plugin-registry';
import { createServer } from './create-server';
import { createServices, Services } from './services';
import { apiRoutes } from '../rest/api-routes';
import { startJobs } from '../jobs/agenda';
import { parseSquareOffTimes, squareOffSchedules } from '../jobs/square-off-times';
import { botActions } from './bot-actions';
import { startMetrics } from '../metrics/start-metrics';
import { Cluster, openCluster } from '../cluster/cluster';
import { withAdvisoryLock } from '../db/advisory-lock';
import { ReportPrefixKeeper } from '../modules/reports/report-prefix-keeper';

export type RunningApi = {
  config: AppConfig;
  db: Database;
  services: Services;
  port: number;
  url: string;
  stop(): Promise<void>;
};

// config -> database (embedded or DATABASE_URL) -> migrate -> seed -> schema -> server. Used by main.ts and tests.
export async function startApi(env: NodeJS.ProcessEnv = process.env): Promise<RunningApi> {
  const config = loadConfig(env);
  logger.level = config.LOG_LEVEL;
  // A bad SQUARE_OFF_TIMES stops the start before anything is opened
  if (config.SQUARE_OFF_TIMES !== undefined) parseSquareOffTimes(config.SQUARE_OFF_TIMES);
  logger.info('starting api', { config: describeConfig(config) });
  const db = await openDatabase(config, logger);
  let cluster: Cluster | undefined;
  try {
    const brokers = BrokerRegistry.load(config, env, db.url, logger);
    await withAdvisoryLock(db.url, 'algodatta.seed', () =>
      seed(db.orm.em.fork(), config, logger, brokers.defaultLiveBroker()),
    );
    // Events, caches and rate limits shared with the other api processes on this database (none is needed)
    cluster = await openCluster({ databaseUrl: db.url, redisUrl: config.REDIS_URL, limiterPool: db.sql.pool });
    const pubSub = createAppPubSub(cluster.transport);
    const services = createServices(config, db.orm, db.sql, pubSub, brokers, cluster);
    const schema = await buildAppSchema(pubSub);
    let started = false;
    const server = await createServer(db.orm, schema, services, apiRoutes(db.orm, services), () => started);
    await new Promise<void>((resolve, reject) => {
      server.httpServer.once('error', reject);
      server.httpServer.listen(config.PORT, resolve);
    });
    const port = (server.httpServer.address() as AddressInfo).port;
    const jobs = await startJobs(
      config,
      db.url,
      {
        attempt: (id) => services.executor.wake(id),
        // Unanswered approvals expire on the same beat as the outbox sweep
        recover: async () => {
          await services.approvals.expire();
          // exit_after deadlines and exits a crash left unsent, on the same beat
          await services.exitPlans
            .sweep()
            .catch((error: Error) => logger.error('exit plan sweep failed', { error: error.message }));
          return services.recovery.sweepPending();
        },
        poll: () => services.recovery.pollOpenOrders(),
        squareOff: (segments, time) => services.squareOff.run(segments, time),
        expireDayOrders: () => services.sessionEnds.expireDayOrders(),
        instrumentRefreshes: services.instrumentMaster.services.map((m) => ({
          broker: m.broker,
          cron: brokers.instrumentMaster(m.broker)!.refreshCron,
          run: () => m.refreshSafely('scheduled job'),
        })),
        dailySummary: () => services.notifications.dailySummary.run(),
        readinessCheck: () => services.readiness.preOpen(),
        brokerSessions: () => services.brokerSessions.run(),
      },
      squareOffSchedules(config.SQUARE_OFF_TIMES, brokers.marketHours(brokers.paperBroker())?.calendar ?? null),
      services.sessionEnds.sessionEndTimes(),
    );
    services.retryScheduler.agenda = jobs.agenda;
    services.exitPlans.start();
    await services.notifications.start(db.url, botActions(services));
    const metrics = await startMetrics(config, db.orm, pubSub, jobs.agenda);
    // Instrument masters load in the background: start-up never waits for (or fails on) a download
    for (const m of services.instrumentMaster.services) {
      if (brokers.instrumentMaster(m.broker)!.loadOnStart ?? config.NODE_ENV !== 'test')
        void m.refreshSafely('start-up', true);
    }
    // Other processes' overflow is taken while this one has room (and its own announced to them)
    services.overflow?.start();
    // Alerts accepted before a crash or restart are finished now, not at the first sweep interval
    void services.recovery.sweepPending(0).catch((error) => logger.error('start-up recovery failed', { error }));
    // Report figures of old trips built ahead, in the background: the first report after a start is already fast
    const keepMinutes = config.REPORT_PREFIX_KEEP_MINUTES ?? (config.NODE_ENV === 'test' ? 0 : 15);
    const prefixKeeper =
      keepMinutes > 0
        ? new ReportPrefixKeeper(db.orm.em, services.reports.prefixes, { everyMs: keepMinutes * 60_000 })
        : undefined;
    prefixKeeper?.start();
    // The first dashboard page after a restart must not pay for cold code and connections (warm-up.ts)
    if (config.NODE_ENV !== 'test') await server.warmUp();
    started = true;
    logger.info('api listening', { port, graphql: `http://localhost:${port}/graphql` });
    return {
      config,
      db,
      services,
      port,
      url: `http://127.0.0.1:${port}`,
      async stop() {
        await server.stop();
        // No alert comes in now: the ones answered ahead of the shared rate-limit store are counted there
        await services.intake.flushRateCounts().catch(() => undefined);
        await metrics.stop();
        await services.notifications.stopBot();
        services.instrumentMaster.close();
        // no report figures are computed in the background once the database is going
        await prefixKeeper?.stop();
        services.reports.prefixes.close();
        await services.reports.prefixes.idle();
        await jobs.stop();
        services.overflow?.stop();
        // No plan starts an exit while the executor drains: the plans stop first (their exits already sent are
        // started before this returns, and drained below)
        await services.exitPlans.stop();
        // Orders already being placed finish before their broker clients and the database go away
        await services.executor.drain();
        // After the drain: the last fills' events are still recorded for sending
        await services.notifications.stop();
        await brokers.closeAll();
        await cluster?.close();
        await db.close();
      },
    };
  } catch (error) {
    await cluster?.close();
    await db.close();
    throw error;
  }
}
