import { createPubSub } from '@graphql-yoga/subscription';
import type { ExecutionEventMessage } from '../modules/executions/execution-event.types';

// In-process PubSub behind a typed facade; a multi-process deployment swaps the transport (PostgreSQL
// LISTEN/NOTIFY or Redis) here without touching publishers or resolvers.
export const TOPICS = { EXECUTION_EVENT: 'EXECUTION_EVENT' } as const;

export type PubSubChannels = { [TOPICS.EXECUTION_EVENT]: [ExecutionEventMessage] };

export const createAppPubSub = () => createPubSub<PubSubChannels>();
export type AppPubSub = ReturnType<typeof createAppPubSub>;
