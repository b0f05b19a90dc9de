import http from 'node:http';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import type { MikroORM } from '@mikro-orm/core';
import type { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { GraphQLSchema } from 'graphql';
import type { GraphQLContext } from '../graphql/context';
import { formatError } from '../graphql/error-formatter';
import { storableTextPlugin } from '../graphql/storable-text';
import { complexityPlugin, depthRule } from '../graphql/limits';
import { createWsServer } from '../graphql/ws-server';
import { correlationMiddleware } from '../rest/correlation.middleware';
import { healthRoutes } from '../rest/health.routes';
import { httpErrorHandler, notFoundHandler } from '../rest/http-errors';
import { clientAddress, parseTrustProxy } from '../shared/client-address';
import { DASHBOARD_CLIENT_HEADER } from '../modules/auth/dashboard-client';
import { currentContext, newCorrelationId } from '../shared/request-context';
import { tradingViewWebhookHandler, WEBHOOK_PATH } from '../modules/webhooks/tradingview/tradingview.http';
import { metricsHandler, METRICS_PATH } from '../metrics/metrics.http';
import type { Services } from './services';
import { warmUp } from './warm-up';

export type AppServer = {
  httpServer: http.Server;
  app: express.Express;
  /** Runs the dashboard's first queries in-process (warm-up.ts); start-api awaits it before saying ready */
  warmUp(): Promise<void>;
  stop(): Promise<void>;
};

const GRAPHQL_BODY_LIMIT = '100kb';
export const KEEP_ALIVE_MS = 65_000;

// One HTTP server: /graphql (HTTP + graphql-ws), /api (REST shim), /healthz, /readyz.
export async function createServer(
  orm: MikroORM<PostgreSqlDriver>,
  schema: GraphQLSchema,
  services: Services,
  apiRoutes?: express.Router,
  started: () => boolean = () => true,
): Promise<AppServer> {
  const { config } = services;
  const app = express();
  app.disable('x-powered-by');
  // One rule for every route, the webhook included (it runs ahead of Express)
  const trust = parseTrustProxy(config.TRUST_PROXY);
  app.set('trust proxy', trust);
  const allowlist = config.WEBHOOK_IP_ALLOWLIST.split(',')
    .map((ip) => ip.trim())
    .filter(Boolean);
  const webhook = tradingViewWebhookHandler(services.intake, services.executor, {
    allowlist,
    trust,
    unauthorizedPerMinute: config.WEBHOOK_UNAUTHORIZED_PER_IP,
    limiters: services.limiters,
  });
  // /metrics on this port only behind METRICS_TOKEN; with METRICS_PORT it has a port of its own (start-api.ts)
  const metrics =
    config.METRICS_TOKEN && config.METRICS_PORT === undefined
      ? metricsHandler({ token: config.METRICS_TOKEN })
      : undefined;
  const httpServer = http.createServer((req, res) => {
    if (req.method === 'POST' && WEBHOOK_PATH.test(req.url ?? '')) webhook(req, res);
    else if (metrics && req.method === 'GET' && (req.url ?? '').split('?')[0] === METRICS_PATH) metrics(req, res);
    else app(req, res);
  });
  // An idle connection is kept 65 s (Node's default is 5 s): a client reuses an idle connection until shortly before
  // the time our Keep-Alive header names, and a client that stalls at that edge (a loaded machine) sends its request
  // on a socket we are closing ("other side closed"); a proxy in front must give up on idle connections first, as
  // load balancers (60 s) do.
  httpServer.keepAliveTimeout = KEEP_ALIVE_MS;
  const validationRules = [depthRule(config.GRAPHQL_MAX_DEPTH)];
  const ws = createWsServer(httpServer, orm, schema, services, {
    maxDepth: config.GRAPHQL_MAX_DEPTH,
    maxComplexity: config.GRAPHQL_MAX_COMPLEXITY,
    trust,
  });

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    formatError,
    validationRules,
    introspection: true,
    // Never, whatever NODE_ENV says: a stack trace tells a caller our file layout and nothing they can act on
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGINT/SIGTERM; Apollo's own handlers would race its graceful shutdown
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      complexityPlugin<GraphQLContext>(schema, config.GRAPHQL_MAX_COMPLEXITY),
      storableTextPlugin<GraphQLContext>(),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await ws.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.use(correlationMiddleware);
  app.use(healthRoutes(orm, started));
  if (apiRoutes) app.use('/api', apiRoutes);
  app.use(
    '/graphql',
    express.json({ limit: GRAPHQL_BODY_LIMIT }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const em = orm.em.fork();
        const auth = await services.authenticator.authenticate(em, req.headers.authorization);
        const correlationId = currentContext()?.correlationId ?? newCorrelationId();
        if (auth.user && currentContext()) currentContext()!.userId = auth.user.id;
        // The dashboard's signed word for its browser's address, else the address of whoever called
        const ip = services.dashboardClients.address(req.headers[DASHBOARD_CLIENT_HEADER]) ?? clientAddress(req, trust);
        return { em, services, ip, correlationId, ...auth };
      },
    }),
  );
  app.use(notFoundHandler);
  app.use(httpErrorHandler);

  return {
    httpServer,
    app,
    warmUp: () => warmUp(apollo, orm, services),
    async stop() {
      await apollo.stop();
      await ws.close();
    },
  };
}
