import { Agenda } from 'agenda';
import type { AppConfig } from '../config/env.schema';
import { logger } from '../shared/logger';
import { isDatabaseConnectionLost } from '../shared/database-connection-lost';
import { openJobsBackend } from './jobs-backend';
import { withAdvisoryLock } from '../db/advisory-lock';

export const JOBS = {
  EXECUTION_ATTEMPT: 'execution.attempt',
  RECOVER_PENDING: 'executions.recover',
  POLL_OPEN_ORDERS: 'executions.poll',
  PAPER_SQUARE_OFF: 'paper.square-off',
  PAPER_EXPIRE_DAY: 'paper.expire-day',
  INSTRUMENTS_REFRESH: 'instruments.refresh',
  DAILY_SUMMARY: 'notifications.daily-summary',
  READINESS_CHECK: 'brokers.readiness',
  BROKER_SESSIONS: 'brokers.sessions',
} as const;

export type JobHandlers = {
  attempt(executionId: string): Promise<void>;
  recover(): Promise<unknown>;
  poll(): Promise<unknown>;
  squareOff(segments: string[], time: string): Promise<unknown>;
  expireDayOrders(): Promise<unknown>;
  /** One per plugin with an instrument master: reload it on the plugin's schedule (cron, IST). */
  instrumentRefreshes?: ReadonlyArray<{ broker: string; cron: string; run(): Promise<unknown> }>;
  dailySummary?(): Promise<unknown>;
  /** Pre-open readiness of the accounts of enabled LIVE strategies (READINESS_CHECK_TIME, IST, Mon-Fri). */
  readinessCheck?(): Promise<unknown>;
  /** Broker tokens: renewal or automatic login before expiry, expiry notices (every BROKER_SESSION_CHECK_MINUTES). */
  brokerSessions?(): Promise<unknown>;
};

export type SquareOffSchedule = { segments: readonly string[]; time: string };

// Agenda runs retries and schedules only; the first attempt of an order never waits for a poll interval.
export type Jobs = { agenda: Agenda; stop(): Promise<void> };

// Every api process starts Agenda on the same table, and Agenda's locks run each due job once in the cluster. Its
// start-up is read-then-write (the backend creates its tables when the Agenda is made; a unique() schedule is
// looked up, then inserted): processes starting together take turns, or they collide on the tables and each adds
// its own copy of a schedule.
export function startJobs(
  config: AppConfig,
  databaseUrl: string,
  handlers: JobHandlers,
  squareOffs: readonly SquareOffSchedule[],
  sessionEnds: readonly string[],
): Promise<Jobs> {
  const start = () => startJobsAlone(config, databaseUrl, handlers, squareOffs, sessionEnds);
  // The lock is PostgreSQL's: with JOBS_BACKEND=mongo (no database URL given here) Agenda starts without it
  return config.JOBS_BACKEND === 'postgres' ? withAdvisoryLock(databaseUrl, 'algodatta.jobs-start', start) : start();
}

async function startJobsAlone(
  config: AppConfig,
  databaseUrl: string,
  handlers: JobHandlers,
  squareOffs: readonly SquareOffSchedule[],
  sessionEnds: readonly string[],
): Promise<Jobs> {
  const jobsBackend = await openJobsBackend(config, databaseUrl);
  const backend = jobsBackend.backend;
  const agenda = new Agenda({
    backend,
    processEvery: config.JOBS_PROCESS_EVERY,
    defaultConcurrency: 5,
    defaultLockLifetime: config.JOBS_LOCK_LIFETIME_MS,
  });
  // Its job queries met a dropped connection (a database restart): the next round runs on a fresh one, a warning
  agenda.on('error', (error: unknown) =>
    logger.log(isDatabaseConnectionLost(error) ? 'warn' : 'error', 'agenda error', { error }),
  );
  agenda.define(JOBS.EXECUTION_ATTEMPT, async (job) =>
    handlers.attempt((job.attrs.data as { executionId: string }).executionId),
  );
  agenda.define(JOBS.RECOVER_PENDING, async () => {
    await handlers.recover();
  });
  agenda.define(JOBS.POLL_OPEN_ORDERS, async () => {
    await handlers.poll();
  });
  agenda.define(JOBS.PAPER_EXPIRE_DAY, async () => {
    await handlers.expireDayOrders();
  });
  agenda.define(JOBS.PAPER_SQUARE_OFF, async (job) => {
    const data = job.attrs.data as { segments: string[]; time: string };
    await handlers.squareOff(data.segments, data.time);
  });
  await agenda.start();
  await agenda.every(`${config.RECOVERY_SWEEP_SECONDS} seconds`, JOBS.RECOVER_PENDING, {}, { skipImmediate: true });
  await agenda.every(`${config.ORDER_POLL_SECONDS} seconds`, JOBS.POLL_OPEN_ORDERS, {}, { skipImmediate: true });
  // Schedules follow the settings: the previous ones go, so a changed time never leaves the old one behind
  await agenda.cancel({ names: [JOBS.PAPER_SQUARE_OFF, JOBS.PAPER_EXPIRE_DAY] });
  for (const s of squareOffs)
    await repeatAtIst(agenda, JOBS.PAPER_SQUARE_OFF, s.time, { segments: [...s.segments], time: s.time });
  for (const time of sessionEnds) await repeatAtIst(agenda, JOBS.PAPER_EXPIRE_DAY, time, { time });
  const refreshes = handlers.instrumentRefreshes ?? [];
  agenda.define(JOBS.INSTRUMENTS_REFRESH, async (job) => {
    const broker = (job.attrs.data as { broker?: string } | undefined)?.broker;
    await refreshes.find((r) => r.broker === broker)?.run();
  });
  // One job per broker, unique by its data; the schedules follow the plugins (one that is gone takes its job along)
  await agenda.cancel({ names: [JOBS.INSTRUMENTS_REFRESH] });
  for (const r of refreshes) {
    await agenda
      .create(JOBS.INSTRUMENTS_REFRESH, { broker: r.broker })
      .repeatEvery(r.cron, { timezone: 'Asia/Kolkata', skipImmediate: true })
      .unique({ 'data.broker': r.broker })
      .save();
  }
  if (handlers.dailySummary) {
    const summary = handlers.dailySummary;
    agenda.define(JOBS.DAILY_SUMMARY, async () => {
      await summary();
    });
    const [hh, mm] = config.DAILY_SUMMARY_TIME.split(':');
    // every() keeps one job of this name: a changed DAILY_SUMMARY_TIME replaces the old schedule
    await agenda.every(
      `${Number(mm)} ${Number(hh)} * * *`,
      JOBS.DAILY_SUMMARY,
      {},
      { timezone: 'Asia/Kolkata', skipImmediate: true },
    );
  }
  if (handlers.readinessCheck) {
    const check = handlers.readinessCheck;
    agenda.define(JOBS.READINESS_CHECK, async () => {
      await check();
    });
    const [hh, mm] = config.READINESS_CHECK_TIME.split(':');
    await agenda.every(
      `${Number(mm)} ${Number(hh)} * * 1-5`,
      JOBS.READINESS_CHECK,
      {},
      { timezone: 'Asia/Kolkata', skipImmediate: true },
    );
  }
  if (handlers.brokerSessions) {
    const sessions = handlers.brokerSessions;
    agenda.define(JOBS.BROKER_SESSIONS, async () => {
      await sessions();
    });
    await agenda.every(
      `${config.BROKER_SESSION_CHECK_MINUTES} minutes`,
      JOBS.BROKER_SESSIONS,
      {},
      { skipImmediate: true },
    );
  }
  return {
    agenda,
    async stop() {
      await agenda.stop();
      await jobsBackend.close();
    },
  };
}

// A recurring job at an IST wall-clock time, Monday to Friday, one per time (unique by its data).
async function repeatAtIst(agenda: Agenda, name: string, hhmm: string, data: Record<string, unknown>): Promise<void> {
  const [hh, mm] = hhmm.split(':');
  await agenda
    .create(name, data)
    .repeatEvery(`${Number(mm)} ${Number(hh)} * * 1-5`, { timezone: 'Asia/Kolkata', skipImmediate: true })
    .unique({ 'data.time': hhmm })
    .save();
}
