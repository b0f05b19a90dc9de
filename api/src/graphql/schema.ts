import 'reflect-metadata';
import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { ApiKeyResolver } from '../modules/api-keys/api-key.resolver';
import { AccountResolver } from '../modules/auth/account.resolver';
import { AuthResolver } from '../modules/auth/auth.resolver';
import { DashboardResolver } from '../modules/dashboard/dashboard.resolver';
import { DeadLetterResolver } from '../modules/dead-letters/dead-letter.resolver';
import { ExecutionResolver } from '../modules/executions/execution.resolver';
import { ApprovalResolver } from '../modules/executions/approval/approval.resolver';
import { PositionResolver } from '../modules/positions/position.resolver';
import { ReportResolver } from '../modules/reports/report.resolver';
import { KillSwitchResolver } from '../modules/risk/kill-switch.resolver';
import { BrokerPluginResolver } from '../modules/brokers/broker-plugin.resolver';
import { BrokerAccountResolver } from '../modules/brokers/broker-account.resolver';
import { BrokerReadinessResolver } from '../modules/brokers/broker-readiness.resolver';
import { BrokerSessionResolver } from '../modules/brokers/broker-session.resolver';
import { BrokerControlsResolver } from '../modules/brokers/broker-controls.resolver';
import { ExecutionEventsResolver } from '../modules/executions/execution-events.resolver';
import { ExecutionLegsResolver } from '../modules/executions/execution-legs.resolver';
import { ExitsModeResolver } from '../modules/exits/exits-mode.resolver';
import { StrategyResolver } from '../modules/strategies/strategy.resolver';
import { StrategyTargetResolver } from '../modules/strategies/strategy-target.resolver';
import { UserResolver } from '../modules/users/user.resolver';
import { NotificationResolver } from '../modules/notifications/notification.resolver';
import { TestAlertResolver } from '../modules/webhooks/tradingview/test-alert.resolver';
import { authChecker } from './auth-checker';
import type { AppPubSub } from './pubsub';

export const resolvers = [
  AuthResolver,
  UserResolver,
  StrategyResolver,
  StrategyTargetResolver,
  ExecutionEventsResolver,
  BrokerPluginResolver,
  ExecutionResolver,
  ExecutionLegsResolver,
  ExitsModeResolver,
  ApprovalResolver,
  PositionResolver,
  DeadLetterResolver,
  KillSwitchResolver,
  BrokerAccountResolver,
  NotificationResolver,
  ApiKeyResolver,
  ReportResolver,
  AccountResolver,
  DashboardResolver,
  TestAlertResolver,
  BrokerReadinessResolver,
  BrokerSessionResolver,
  BrokerControlsResolver,
] as const;

export function buildAppSchema(pubSub: AppPubSub): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    pubSub,
    authChecker,
    validate: { forbidUnknownValues: false },
    emitSchemaFile: false,
  });
}

// The committed schema/schema.graphql is exactly this text; a test fails when it is stale.
export function printAppSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
