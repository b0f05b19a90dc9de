import type { MikroORM } from '@mikro-orm/postgresql';
import type { Agenda } from 'agenda';
import type { AppConfig } from '../config/env.schema';
import type { AppPubSub } from '../graphql/pubsub';
import { LiveSessions } from '../graphql/live-sessions';
import { JOBS } from '../jobs/agenda';
import { AlertIntakeService } from '../modules/alerts/alert-intake.service';
import { ApiKeyService } from '../modules/api-keys/api-key.service';
import { PositionCloseService } from '../modules/alerts/position-close.service';
import { AuthService } from '../modules/auth/auth.service';
import { Authenticator } from '../modules/auth/authenticator';
import { LoginRateLimiter } from '../modules/auth/login-rate-limiter';
import { DashboardClientVerifier, dashboardSecretSource } from '../modules/auth/dashboard-client';
import { dataDir } from '../config/data-dir';
import { BrokerAccountReadService } from '../modules/brokers/broker-account-read.service';
import { BrokerAccountService } from '../modules/brokers/broker-account.service';
import { BrokerRouter } from '../modules/brokers/broker-route';
import { AccountCapital } from '../modules/risk/account-capital';
import { PositionCheck } from '../modules/risk/position-check';
import { BrokerReadiness } from '../modules/brokers/broker-readiness';
import { EgressIp } from '../modules/brokers/egress-ip';
import { BrokerAccountSettings } from '../modules/brokers/broker-account-settings';
import { BrokerControls } from '../modules/brokers/broker-controls';
import { BrokerSessionService } from '../modules/brokers/broker-sessions.service';
import { BrokerRegistry } from '../modules/brokers/plugin-registry';
import { DashboardService } from '../modules/dashboard/dashboard.service';
import { DeadLetterService } from '../modules/dead-letters/dead-letter.service';
import { DailyLossGuard } from '../modules/risk/daily-loss.guard';
import { ExecutionEventsService } from '../modules/executions/execution-events.service';
import { ExecutionQueryService } from '../modules/executions/execution-query.service';
import { PositionTurns } from '../modules/executions/placement/position-turns';
import { ExitPlanService } from '../modules/exits/exit-plan.service';
import { OpenPlans } from '../modules/exits/open-plans';
import { NativeBrackets } from '../modules/exits/native-brackets';
import { PlanQuotes } from '../modules/exits/plan-quotes';
import { ExecutorService } from '../modules/executions/placement/executor.service';
import { FailureHandler, RetryScheduler } from '../modules/executions/placement/failure-handler';
import { OrderCanceller } from '../modules/executions/placement/order-canceller';
import { OrderUpdatesService } from '../modules/executions/broker-updates/order-updates.service';
import { ApprovalService } from '../modules/executions/approval/approval.service';
import { RecoveryService } from '../modules/executions/placement/recovery.service';
import { OverflowSharing } from '../modules/executions/placement/overflow-sharing';
import { SquareOffService } from '../modules/alerts/square-off.service';
import { InstrumentResolver } from '../modules/instruments/instrument-resolver';
import { InstrumentMasters, InstrumentMasterService } from '../modules/instruments/instrument-master.service';
import { ManualExitService } from '../modules/alerts/manual-exit.service';
import { NotificationLogService } from '../modules/notifications/notification-log.service';
import { NotificationsService } from '../modules/notifications/notifications.service';
import { PositionService } from '../modules/positions/position.service';
import { ReportService } from '../modules/reports/report.service';
import { KillSwitchControl } from '../modules/risk/kill-switch-control.service';
import { KillSwitchService } from '../modules/risk/kill-switch.service';
import { StrategyTargetsService } from '../modules/strategies/strategy-targets.service';
import { DeploymentService } from '../modules/strategies/deployment.service';
import { StrategyService } from '../modules/strategies/strategy.service';
import { UserService } from '../modules/users/user.service';
import { TestAlertService } from '../modules/webhooks/tradingview/test-alert.service';
import { StrategyCache } from '../modules/strategies/strategy-snapshot';
import { MarketHours } from '../modules/sessions/market-hours';
import { SessionEndService } from '../modules/sessions/session-end.service';
import { arrivals } from '../modules/alerts/arrival-clock';
import { emSql, type SqlPool } from '../db/sql';
import { SecretBox } from '../shared/crypto';
import { logger } from '../shared/logger';
import type { Cluster } from '../cluster/cluster';
import { AlertRateLimits, memoryLimiters } from '../cluster/shared-limiters';

// A retry is due at `at`: this process runs it then on a timer, and an Agenda job is the durable copy (it runs
// it after a restart, or if this process is gone). Both may fire: the executor's claim lets one attempt through.
// Until Agenda runs, the recovery sweep finds due retries by next_attempt_at.
export class AgendaRetryScheduler implements RetryScheduler {
  agenda?: Agenda;
  runDue?: (executionId: string) => Promise<void>;

  async scheduleAttempt(executionId: string, at: Date): Promise<void> {
    const runDue = this.runDue;
    if (runDue) {
      setTimeout(
        () => {
          runDue(executionId).catch((error: unknown) => logger.error('retry failed', { executionId, error }));
        },
        Math.max(0, at.getTime() - Date.now()),
      ).unref();
    }
    if (!this.agenda) return;
    await this.agenda
      .schedule(at, JOBS.EXECUTION_ATTEMPT, { executionId })
      .catch((error: unknown) => logger.error('could not schedule a retry', { executionId, error }));
  }
}

// The service graph, built once per process and handed to resolvers and routes through their context.
export function createServices(
  config: AppConfig,
  orm: MikroORM,
  sql: SqlPool,
  pubSub: AppPubSub,
  brokers: BrokerRegistry,
  cluster?: Pick<Cluster, 'changes' | 'limiters'> & Partial<Pick<Cluster, 'overflow'>>,
) {
  // Without a cluster (a single service in a test or a tool) limits are this process's own
  const limiters = cluster?.limiters ?? memoryLimiters();
  const changes = cluster?.changes;
  const loginLimiter = new LoginRateLimiter(
    {
      perEmail: config.LOGIN_MAX_PER_EMAIL,
      perIp: config.LOGIN_MAX_PER_IP,
      windowSeconds: config.LOGIN_WINDOW_SECONDS,
      registrationsPerIpPerHour: config.REGISTER_MAX_PER_IP,
    },
    limiters,
  );
  const dashboardClients = new DashboardClientVerifier(
    dashboardSecretSource(config.DASHBOARD_FORWARD_SECRET, dataDir(config)),
    logger,
  );
  const box = new SecretBox(config.ENCRYPTION_KEY);
  const brokerAccounts = new BrokerAccountService(orm, brokers, box);
  const strategies = new StrategyService(brokers);
  const events = new ExecutionEventsService(pubSub);
  const positions = new PositionService();
  const killSwitch = new KillSwitchService(sql, 1000, changes);
  const strategyCache = new StrategyCache(sql, { changes });
  orm.em.getEventManager().registerSubscriber(strategyCache.subscriber());
  const router = new BrokerRouter(orm, box, brokers);
  const instruments = new InstrumentResolver(brokers);
  const retryScheduler = new AgendaRetryScheduler();
  const liveSessions = new LiveSessions(orm);
  if (changes) liveSessions.follow(changes);
  const onAuthError = (id: string, code: string, message: string) => brokerAccounts.onAuthError(id, code, message);
  const failures = new FailureHandler(
    orm,
    events,
    {
      maxAttempts: config.EXECUTION_MAX_ATTEMPTS,
      baseDelayMs: config.EXECUTION_RETRY_BASE_MS,
      maxDelayMs: config.EXECUTION_RETRY_MAX_MS,
    },
    retryScheduler,
    onAuthError,
  );
  const updates = new OrderUpdatesService(sql, events, new DailyLossGuard(orm, () => strategyCache.invalidate()));
  const marketHours = new MarketHours(brokers);
  // Work this process leaves in PostgreSQL is announced to the others, and theirs taken when this one has room
  const overflow = cluster?.overflow
    ? new OverflowSharing(cluster.overflow, sql, { pollMs: config.OVERFLOW_POLL_SECONDS * 1000 })
    : undefined;
  const executor = new ExecutorService(
    orm,
    sql,
    brokers,
    router,
    updates,
    killSwitch,
    failures,
    strategyCache,
    marketHours,
    {
      concurrency: config.EXECUTOR_CONCURRENCY,
      maxQueued: config.EXECUTOR_QUEUE_MAX,
      leaseMs: config.EXECUTION_LEASE_MS,
      turnLingerMs: config.POSITION_TURN_LINGER_MS,
      stopLimitBandPercent: config.STOP_LIMIT_BAND_PERCENT,
      nativeBrackets: config.NATIVE_BRACKETS === 'on',
      // The instrument as the alert resolved it (cached): its exchange freeze limit, from the broker's master
      freezeQuantity: async (strategy, execution) => {
        const resolved = await instruments.resolve(sql, strategy, execution.symbol);
        return resolved.ok ? (resolved.instrument.freezeQuantity ?? null) : null;
      },
      backlogMax: config.STRATEGY_BACKLOG_MAX,
      oldestUnsettled: (position) => arrivals.oldestUnsettled(position),
      positionCheck: new PositionCheck(sql, events),
      turns: new PositionTurns(sql.pool.options.connectionString ?? '', config.EXECUTOR_CONCURRENCY),
      overflowed: overflow?.overflowed,
    },
  );
  overflow?.attach(executor);
  retryScheduler.runDue = (executionId) => executor.wake(executionId);
  const canceller = new OrderCanceller(executor);
  const readiness = new BrokerReadiness(
    orm,
    brokers,
    router,
    new EgressIp(config.EGRESS_IP, config.EGRESS_IP_DETECT_URL),
    {
      blocking: new Set(
        config.READINESS_BLOCKING.split(',')
          .map((c) => c.trim())
          .filter(Boolean),
      ),
      cacheMs: config.READINESS_CACHE_SECONDS * 1000,
    },
  );
  const intake = new AlertIntakeService(
    events,
    { sql, killSwitch, router, instruments, positions, now: () => new Date(), marketHours, brokers, readiness },
    strategyCache,
    sql,
    new AlertRateLimits(limiters),
    new AccountCapital(router, brokers),
  );
  const brokerControls = new BrokerControls(orm, brokers, router);
  const killSwitchControl = new KillSwitchControl(killSwitch, canceller, (active) =>
    brokerControls.mirrorKillSwitch(active),
  );
  const manualExits = new ManualExitService(sql, intake, executor);
  // Exit plans hear fills from the pubsub and prices from the intake (a hook: exits sit above intake)
  const exitPlans = new ExitPlanService(sql, pubSub, intake, executor);
  intake.prices = exitPlans;
  exitPlans.openPlans = new OpenPlans(sql, changes);
  exitPlans.adHoc = { query: (text, params) => emSql(orm.em.fork()).query(text, params) };
  exitPlans.native = new NativeBrackets(sql, intake, executor, router, config.BRACKET_POLL_MS, exitPlans.adHoc);
  exitPlans.quotes = new PlanQuotes(sql, brokers, router, (strategyId, ticker, price) =>
    exitPlans.observe([strategyId], ticker, price),
  );
  return {
    config,
    sql,
    strategyCache,
    pubSub,
    limiters,
    box,
    brokers,
    router,
    instruments,
    events,
    positions,
    killSwitch,
    updates,
    executor,
    overflow,
    retryScheduler,
    marketHours,
    auth: new AuthService(config, loginLimiter),
    authenticator: new Authenticator(config.SECRET_KEY, config.API_KEY_REQUESTS_PER_MINUTE, limiters),
    apiKeys: new ApiKeyService({ revoked: (id) => liveSessions.keyRevoked(id) }),
    liveSessions,
    dashboardClients,
    // A disabled user's resting orders are cancelled and their waiting alerts rejected (account_disabled), and their
    // open sockets are checked again
    users: new UserService({
      accessChanged: (id) => liveSessions.accessChanged(id),
      disabled: (userId) => canceller.stopUser(orm.em.fork(), userId),
    }),
    strategies,
    strategyTargets: new StrategyTargetsService(strategies, brokers),
    deployments: new DeploymentService(strategies, config.PUBLIC_BASE_URL),
    killSwitchControl,
    executionQueries: new ExecutionQueryService(),
    deadLetters: new DeadLetterService(executor),
    intake,
    manualExits,
    exitPlans,
    notifications: new NotificationsService(config, orm, pubSub, strategies, limiters),
    notificationLog: new NotificationLogService(),
    testAlerts: new TestAlertService(intake, executor),
    positionCloses: new PositionCloseService(sql, events, executor, brokers),
    recovery: new RecoveryService(orm, executor, onAuthError),
    approvals: new ApprovalService(orm, sql, events, intake, strategyCache, executor),
    brokerAccounts,
    readiness,
    brokerSettings: new BrokerAccountSettings(brokers, box),
    brokerControls,
    brokerSessions: new BrokerSessionService(orm, brokers, router, box, brokerAccounts, {
      renewBeforeMs: config.BROKER_SESSION_RENEW_BEFORE_MINUTES * 60_000,
      onChange: (userId, broker) => readiness.forget(userId, broker),
    }),
    // Each plugin's instrument master (has.instrumentMaster), stored in one table
    instrumentMaster: new InstrumentMasters(
      brokers
        .instrumentMasters()
        .map(({ broker, master }) => new InstrumentMasterService(orm, instruments, broker, master)),
    ),
    squareOff: new SquareOffService(orm, events, executor, brokers),
    // Venues that keep exchange hours expire their DAY orders at session end (has.marketHours)
    sessionEnds: new SessionEndService(brokers, (order) => updates.applyOrder(order)),
    reports: new ReportService(),
    dashboard: new DashboardService(positions),
    brokerReads: new BrokerAccountReadService(brokers, router, brokerAccounts),
  };
}

export type Services = ReturnType<typeof createServices>;
