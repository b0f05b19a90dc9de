import { z } from 'zod';
import { parseTrustProxy } from '../shared/client-address';

// Every environment variable the api reads, in one place. `sensitive` values are masked wherever config is printed.
export type SettingSpec = {
  schema: z.ZodTypeAny;
  description: string;
  sensitive?: boolean;
};

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

export const DEV_SECRET_KEY = 'dev-secret-key-change-me-in-production-0000';
export const DEV_ENCRYPTION_KEY = 'dev-encryption-key-change-me-in-production';
// Published in the README for local use; production refuses to start with it
export const DEV_ADMIN_PASSWORD = 'admin12345';

export const envSchema = {
  NODE_ENV: {
    schema: z.enum(['development', 'test', 'production']).default('development'),
    description: 'Runtime mode; production refuses default secrets',
  },
  PORT: { schema: port.default(4000), description: 'HTTP port of the api (GraphQL, REST shim, health)' },
  WEB_PORT: { schema: port.default(3000), description: 'HTTP port of the Remix dashboard' },
  PUBLIC_BASE_URL: {
    schema: z.string().url().default('http://localhost:4000'),
    description:
      "Public base of the webhook URL that deployStrategy returns. TradingView posts only to public addresses on ports 443/80: set the public https address of the API, e.g. https://algo.example.com (the deploy answer warns otherwise). Also where Telegram posts the bot's updates (TELEGRAM_UPDATES)",
  },
  DATABASE_URL: {
    schema: z.string().optional(),
    description: 'PostgreSQL URL; unset = embedded PostgreSQL under DATA_DIR',
    sensitive: true,
  },
  DATA_DIR: {
    schema: z.string().optional(),
    description:
      'Folder for embedded PostgreSQL data and the secrets generated on first start (default ./.data; a relative path is from the repo root)',
  },
  EMBEDDED_PG_PORT: { schema: port.default(5499), description: 'Port of the embedded PostgreSQL' },
  DB_POOL_MAX: {
    schema: positiveInt.default(10),
    description:
      "Size of each of the api's two PostgreSQL pools: the ORM's, and the order path's raw-SQL pool (kept open)",
  },
  SECRET_KEY: {
    schema: z.string().min(32).default(DEV_SECRET_KEY),
    description: 'HS256 key for JWTs (32+ chars); must be set in production',
    sensitive: true,
  },
  ENCRYPTION_KEY: {
    schema: z.string().min(32).default(DEV_ENCRYPTION_KEY),
    description: 'Key material for AES-256-GCM encryption of broker tokens at rest; must be set in production',
    sensitive: true,
  },
  ACCESS_TOKEN_TTL: {
    schema: z.string().default('15m'),
    description: 'Lifetime of access tokens (jsonwebtoken syntax: 15m, 1h)',
  },
  REFRESH_TOKEN_TTL_DAYS: { schema: positiveInt.default(30), description: 'Lifetime of refresh tokens in days' },
  LOGIN_MAX_PER_EMAIL: {
    schema: positiveInt.default(5),
    description: 'Failed login attempts allowed per email per window',
  },
  LOGIN_MAX_PER_IP: { schema: positiveInt.default(20), description: 'Login attempts allowed per client IP per window' },
  LOGIN_WINDOW_SECONDS: { schema: positiveInt.default(900), description: 'Login rate-limit window in seconds' },
  REGISTER_MAX_PER_IP: { schema: positiveInt.default(20), description: 'Accounts one client IP may register per hour' },
  DASHBOARD_FORWARD_SECRET: {
    schema: z.string().min(32).optional(),
    description:
      'Shared by the dashboard server and the api: signs the browser address the dashboard forwards with logins and registrations, so each browser has its own login budget. Unset: both use <DATA_DIR>/dashboard-forward-secret, which the dashboard creates on its first start; set the same value on both when they do not share DATA_DIR',
    sensitive: true,
  },
  TRUST_PROXY: {
    schema: z
      .union([z.boolean(), z.string()])
      .transform(String)
      .default('false')
      .superRefine((value, ctx) => {
        try {
          parseTrustProxy(value);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: `not a hop count or proxy list: ${(error as Error).message}` });
        }
      }),
    description:
      'Proxies allowed to speak for the client in X-Forwarded-For: false (none), true or a number (the nearest 1 or N hops), or a comma-separated list of proxy addresses, subnets and loopback/linklocal/uniquelocal. The client is the nearest entry a trusted proxy wrote, never the leftmost',
  },
  SEED_ADMIN_EMAIL: {
    schema: z.string().email().default('admin@algodatta.local'),
    description: 'Admin user created on first start',
  },
  SEED_ADMIN_PASSWORD: {
    schema: z.string().min(8).default(DEV_ADMIN_PASSWORD),
    description: 'Password of the seeded admin; must be set in production (the default is published)',
    sensitive: true,
  },
  API_KEY_REQUESTS_PER_MINUTE: {
    schema: positiveInt.default(600),
    description: 'Requests allowed per API key per minute (GraphQL and REST); past it RATE_LIMITED',
  },
  GRAPHQL_MAX_DEPTH: { schema: positiveInt.default(8), description: 'Maximum GraphQL query depth' },
  GRAPHQL_MAX_COMPLEXITY: { schema: positiveInt.default(1000), description: 'Maximum GraphQL query complexity' },
  LOG_LEVEL: {
    schema: z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug']).default('info'),
    description: 'winston log level',
  },
  METRICS_TOKEN: {
    schema: z.string().min(16).optional(),
    description:
      'Bearer token that GET /metrics (Prometheus format) requires; unset and no METRICS_PORT = /metrics is not served',
    sensitive: true,
  },
  METRICS_PORT: {
    schema: port.optional(),
    description:
      'Serve /metrics on this port of its own instead of the api port (METRICS_TOKEN still applies when set)',
  },
  METRICS_HOST: {
    schema: z.string().default('127.0.0.1'),
    description: 'Address the METRICS_PORT listener binds (0.0.0.0 inside a container network)',
  },
  BROKER_PLUGINS: {
    schema: z.string().optional(),
    description:
      'Comma-separated broker plugin package names (or paths) to load; unset: the plugins this build ships (api/package.json algodatta.brokerPlugins.default). The built-in paper venue is always loaded. Each plugin reads its own settings from BROKER_<NAME>_<OPTION> (listed below)',
  },
  BROKER_PLUGIN_OPTIONS: {
    schema: z.string().default('{}'),
    description:
      'JSON object of plugin options keyed by plugin name, e.g. {"acme":{"baseUrl":"https://sandbox.acme.example"}}; wins over BROKER_<NAME>_<OPTION>',
  },
  JOBS_PROCESS_EVERY: {
    schema: z.string().default('2 seconds'),
    description: 'How often Agenda polls for due retries and scheduled jobs (never on the order hot path)',
  },
  JOBS_LOCK_LIFETIME_MS: { schema: positiveInt.default(600000), description: 'Agenda job lock lifetime in ms' },
  REDIS_URL: {
    schema: z.string().optional(),
    description:
      'Optional Redis (redis://host:6379) for the events that several api processes share (subscriptions) and for the shared rate-limit counters; unset = all of it on PostgreSQL (LISTEN/NOTIFY and the rate_limits table)',
    sensitive: true,
  },
  JOBS_BACKEND: {
    schema: z.enum(['postgres', 'mongo']).default('postgres'),
    description: "Where Agenda keeps its jobs: postgres (the api's database) or mongo (MONGO_URL)",
  },
  MONGO_URL: {
    schema: z.string().optional(),
    description: 'MongoDB URL for JOBS_BACKEND=mongo, e.g. mongodb://mongo:27017/algodatta',
    sensitive: true,
  },
  SQUARE_OFF_TIMES: {
    schema: z.string().optional(),
    description:
      "Intraday auto square-off of paper positions, IST, Mon-Fri: segments@HH:MM groups separated by ;. Unset: the paper venue's exchange calendar (NSE_EQ,BSE_EQ,NSE_FNO,BSE_FNO@15:15;MCX_COMM@23:25;NSE_CURRENCY,BSE_CURRENCY@16:45)",
  },
  WEBHOOK_IP_ALLOWLIST: {
    schema: z.string().default(''),
    description:
      'Comma-separated client IPs allowed to call the TradingView webhook; empty = any. TradingView sends from 52.89.214.238, 34.212.75.30, 54.218.53.128, 52.32.178.7',
  },
  WEBHOOK_UNAUTHORIZED_PER_IP: {
    schema: positiveInt.default(60),
    description:
      'Wrong or missing webhook secrets allowed per client IP per minute; past it that IP gets 429 without a lookup, except for secrets that worked lately',
  },
  EXECUTOR_CONCURRENCY: {
    schema: positiveInt.default(4),
    description:
      "Order attempts in progress at once in one api process, across positions; one position's alerts are decided and sent one after another (bounded so the webhook always has database connections)",
  },
  EXECUTOR_QUEUE_MAX: {
    schema: positiveInt.default(2000),
    description:
      'Accepted alerts held in memory waiting for the executor, across positions; the rest wait in PostgreSQL and are taken in arrival order per position',
  },
  STRATEGY_BACKLOG_MAX: {
    schema: positiveInt.default(1000),
    description:
      'Accepted alerts of one strategy still waiting to start; above it the webhook answers 429 {"error":"backlog"} until the backlog drains',
  },
  EXECUTION_LEASE_MS: {
    schema: positiveInt.default(30000),
    description:
      'How long an order attempt owns its execution; a process that dies mid-attempt (kill -9, a lost machine) leaves its executions to the others once this passes. Keep it above the slowest broker call',
  },
  POSITION_TURN_LINGER_MS: {
    schema: z.coerce.number().int().min(0).max(1000).default(25),
    description:
      "How long a position's turn is kept for its next alert once its last attempt ended (0: given back at once). Alerts to one strategy and symbol closer than this cost no lock round trip each; another api process waiting for that position waits at most this much longer",
  },
  EXECUTION_MAX_ATTEMPTS: {
    schema: positiveInt.default(5),
    description: 'Attempts per order before it becomes a dead letter',
  },
  EXECUTION_RETRY_BASE_MS: {
    schema: positiveInt.default(1000),
    description: 'First retry delay in ms (doubles each attempt, with jitter)',
  },
  EXECUTION_RETRY_MAX_MS: { schema: positiveInt.default(60000), description: 'Longest retry delay in ms' },
  RECOVERY_SWEEP_SECONDS: {
    schema: positiveInt.default(15),
    description:
      'How often accepted-but-unfinished alerts are picked up again (also at start); a sweep hands every waiting position to the executor, which keeps going until none is left',
  },
  OVERFLOW_POLL_SECONDS: {
    schema: positiveInt.default(2),
    description:
      'How often an api process with free capacity looks in PostgreSQL for work other processes left beyond their in-memory bound (the safety net: a busy process also announces its overflow at once over NOTIFY)',
  },
  REPORT_PREFIX_KEEP_MINUTES: {
    schema: z.coerce.number().int().min(0).optional(),
    description:
      'How often kept report figures (report_prefixes) are built and renewed in the background, first 10 s after start, so the first report of a large scope is fast; 0 = only after reports (default 15, off under NODE_ENV=test)',
  },
  STOP_LIMIT_BAND_PERCENT: {
    schema: z
      .string()
      .regex(/^\d{1,2}(\.\d{1,4})?$/, 'STOP_LIMIT_BAND_PERCENT is a percent such as 2 or 0.5')
      .refine((v) => Number(v) > 0 && Number(v) <= 20, 'STOP_LIMIT_BAND_PERCENT must be above 0 and at most 20')
      .default('2'),
    description:
      "An SL-M order on a segment where the broker refuses SL-M (market price protection; its manifest lists the segments that accept it) is sent as SL with its limit this many percent beyond the trigger, rounded to the tick; the execution's plan says so (stopLimit)",
  },
  NATIVE_BRACKETS: {
    schema: z.enum(['on', 'off']).default('on'),
    description:
      "on: a LIVE entry whose exits fit the broker's native bracket (has.bracketOrders in its manifest: target + stop + trailing jump held by the broker) goes as one bracket order and the broker does the OCO; off: every exit is emulated by the core (api/src/modules/exits/README.md)",
  },
  BRACKET_POLL_MS: {
    schema: positiveInt.default(2000),
    description:
      "How often an active native bracket is read back at the broker (its target and stop legs' fills are booked as an exit execution), in milliseconds",
  },
  ORDER_POLL_SECONDS: {
    schema: positiveInt.default(20),
    description:
      'How often open orders are polled at the broker until they reach a terminal state (every open order each run); a LIVE order is also read back 0.5, 1, 2 and 4 s after it is placed',
  },
  TELEGRAM_API_BASE: {
    schema: z.string().url().default('https://api.telegram.org'),
    description: 'Telegram Bot API base URL',
  },
  TELEGRAM_BOT_TOKEN: {
    schema: z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]+$/, 'TELEGRAM_BOT_TOKEN looks like 123456:ABC-DEF...')
      .optional(),
    description:
      'Token of the Telegram bot (from @BotFather) that sends notifications and answers commands; unset = no Telegram',
    sensitive: true,
  },
  TELEGRAM_POLL_TIMEOUT_SECONDS: {
    schema: z.coerce.number().int().min(0).max(50).default(25),
    description: "Long-poll timeout of the bot's getUpdates calls",
  },
  TELEGRAM_UPDATES: {
    schema: z.enum(['auto', 'webhook', 'polling']).default('auto'),
    description:
      'How the bot gets its updates. auto: a webhook (setWebhook to <PUBLIC_BASE_URL>/api/webhook/telegram) when PUBLIC_BASE_URL is https on port 443, 80, 88 or 8443, else polling getUpdates (one api process polls); webhook: always (start-up fails when PUBLIC_BASE_URL cannot be one); polling: always',
  },
  SMTP_URL: {
    schema: z.string().optional(),
    description: 'SMTP URL for email notifications (smtp://user:pass@host:port)',
    sensitive: true,
  },
  EMAIL_FROM: {
    schema: z.string().default('AlgoDatta <no-reply@algodatta.local>'),
    description: 'From address of notification emails',
  },
  WEB_BASE_URL: {
    schema: z.string().url().default('http://localhost:3000'),
    description: 'Public base of the dashboard; notifications link to <WEB_BASE_URL>/executions/<id>',
  },
  DAILY_SUMMARY_TIME: {
    schema: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'DAILY_SUMMARY_TIME must be HH:MM')
      .default('16:00'),
    description:
      'IST time of the daily summary notification (covers the 24 hours before it; skipped when nothing was traded)',
  },
  NOTIFY_POLL_MS: {
    schema: positiveInt.default(1000),
    description:
      'How often notifications look for work written by other processes and for retries that are due (work written by this process is picked up at once)',
  },
  NOTIFY_MAX_ATTEMPTS: {
    schema: positiveInt.default(8),
    description: 'Attempts per notification before it is marked FAILED',
  },
  NOTIFY_RETRY_BASE_MS: {
    schema: positiveInt.default(2000),
    description:
      "First notification retry delay in ms (doubles each attempt, at most 5 minutes; Telegram's retry_after wins when longer)",
  },
  NOTIFY_DIGEST_AFTER: {
    schema: positiveInt.default(3),
    description: 'More than this many messages waiting for one channel go out as one digest',
  },
  EGRESS_IP: {
    schema: z.string().default(''),
    description:
      "This server's public IP for broker orders (compared with the static IP registered at the broker before the open); empty = detected through EGRESS_IP_DETECT_URL",
  },
  EGRESS_IP_DETECT_URL: {
    schema: z.string().default('https://api.ipify.org'),
    description:
      "URL that answers the caller's public IP as plain text, used when EGRESS_IP is empty; off = not detected (the static IP check then reports unknown)",
  },
  READINESS_BLOCKING: {
    schema: z.string().default('token,static_ip,instruments,trading_day'),
    description:
      'Readiness checks that refuse alerts of a LIVE strategy (422 broker_not_ready) when they fail, comma-separated from token, static_ip, instruments, trading_day; the others are only reported',
  },
  READINESS_CACHE_SECONDS: {
    schema: positiveInt.default(60),
    description:
      "How long an account's readiness is reused by the alert check (one broker round trip per account per period at most)",
  },
  READINESS_CHECK_TIME: {
    schema: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'READINESS_CHECK_TIME must be HH:MM')
      .default('08:45'),
    description:
      'IST time of the pre-open readiness check of accounts used by enabled LIVE strategies (Mon-Fri; a failing account notifies its owner)',
  },
  BROKER_SESSION_CHECK_MINUTES: {
    schema: positiveInt.default(15),
    description:
      'How often broker tokens are checked: renewed (web tokens) or logged in again (automatic login) before they expire, and their owners told 2 hours before and at expiry',
  },
  BROKER_SESSION_RENEW_BEFORE_MINUTES: {
    schema: positiveInt.default(180),
    description: 'A token is renewed (or logged in again) once it has less than this many minutes left',
  },
} satisfies Record<string, SettingSpec>;

export type EnvKey = keyof typeof envSchema;
export type AppConfig = { [K in EnvKey]: z.output<(typeof envSchema)[K]['schema']> };
