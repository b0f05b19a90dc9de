import type http from 'node:http';
import type { MikroORM } from '@mikro-orm/core';
import type { PostgreSqlDriver } from '@mikro-orm/postgresql';
import {
  DocumentNode,
  ExecutionResult,
  GraphQLError,
  GraphQLFormattedError,
  GraphQLSchema,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Services } from '../app/services';
import { logger } from '../shared/logger';
import { newCorrelationId } from '../shared/request-context';
import type { GraphQLContext } from './context';
import type { LiveSession } from './live-sessions';
import { clientAddress, TrustProxy } from '../shared/client-address';
import { formatError } from './error-formatter';
import { costError, depthRule } from './limits';
import { unstorableTextError } from './storable-text';

// trust: which proxies may name the client in X-Forwarded-For (TRUST_PROXY), as for HTTP
export type WsLimits = { maxDepth: number; maxComplexity: number; trust: TrustProxy };

// graphql-ws on /graphql, held to what HTTP requests are held to: the same validation and depth rule, the same
// cost limit and text check before execution, and errors shaped by the same formatter (extensions.code, never
// an internal message).
export function createWsServer(
  httpServer: http.Server,
  orm: MikroORM<PostgreSqlDriver>,
  schema: GraphQLSchema,
  services: Services,
  limits: WsLimits,
): { dispose(): Promise<void>; close(): Promise<void> } {
  const rules = [...specifiedRules, depthRule(limits.maxDepth)];
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: 64 * 1024 });
  const cleanup = useServer<Record<string, unknown>, { context?: GraphQLContext; leave?: () => void }>(
    {
      schema,
      // Authenticated from connectionParams.authorization (a bad token closes it: 4403), then kept under watch as a
      // live session: closed when its rights change (see live-sessions.ts)
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        const em = orm.em.fork();
        const auth = await services.authenticator.authenticate(
          em,
          typeof authorization === 'string' ? authorization : undefined,
        );
        if (!auth.user) {
          logger.info('websocket refused', { reason: auth.authError?.message ?? 'no token' });
          return false;
        }
        const { socket } = ctx.extra;
        const session: LiveSession = {
          userId: auth.user.id,
          role: auth.user.role,
          apiKeyId: auth.apiKey?.id,
          expiresAt: auth.expiresAt,
          close: (code, reason) => socket.close(code, reason),
        };
        ctx.extra.leave = services.liveSessions.add(session);
        // The client may have gone while it was being authenticated: onClose has run already
        if (socket.readyState !== socket.OPEN) ctx.extra.leave();
        ctx.extra.context = {
          em,
          services,
          ip: clientAddress(ctx.extra.request, limits.trust),
          correlationId: newCorrelationId(),
          ...auth,
          session,
        };
        return true;
      },
      onClose: (ctx) => ctx.extra.leave?.(),
      onSubscribe: (_ctx, _id, payload) => {
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [withCode(error as GraphQLError, 'GRAPHQL_PARSE_FAILED')];
        }
        const invalid = validate(schema, document, rules);
        if (invalid.length) return invalid.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED'));
        const refused =
          unstorableTextError(document, payload.variables) ??
          costError(schema, document, payload.operationName, payload.variables, limits.maxComplexity);
        if (refused) return [refused];
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
      },
      context: (ctx) => ({ ...ctx.extra.context!, em: orm.em.fork() }),
      onNext: (_ctx, _id, _payload, _args, result) => {
        const { errors } = result as ExecutionResult;
        return errors?.length ? { ...result, errors: errors.map(format) } : undefined;
      },
      onError: (_ctx, _id, _payload, errors) => errors.map(format),
    },
    wss,
  );

  return {
    dispose: async () => {
      await cleanup.dispose();
    },
    close: () => new Promise<void>((resolve) => wss.close(() => resolve())),
  };
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}

// As Apollo answers over HTTP: the formatter's shape, without the HTTP status hint
function format(error: GraphQLError): GraphQLFormattedError {
  const formatted = formatError(error.toJSON(), error);
  if (!formatted.extensions || !('http' in formatted.extensions)) return formatted;
  const { http: _http, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}
