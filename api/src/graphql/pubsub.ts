import { createPubSub } from '@graphql-yoga/subscription';
import type { ExecutionEventMessage } from '../modules/executions/execution-event.types';
import type { EventTransport } from '../cluster/event-transport';
import { asciiJson } from '../cluster/notify-frames';
import { logger } from '../shared/logger';

export const TOPICS = { EXECUTION_EVENT: 'EXECUTION_EVENT' } as const;

export type PubSubChannels = { [TOPICS.EXECUTION_EVENT]: [ExecutionEventMessage] };
type Topic = keyof PubSubChannels;

const MAX_BATCH = 256;

// How a topic's message crosses a process boundary as JSON (dates come back as strings)
const REVIVE: { [T in Topic]: (raw: PubSubChannels[T][0]) => PubSubChannels[T][0] } = {
  [TOPICS.EXECUTION_EVENT]: (raw) => ({ ...raw, at: new Date(raw.at) }),
};

// The app's PubSub, the same object for publishers and resolvers whatever the number of api processes.
// publish() delivers to this process's subscribers at once and hands the message to the transport (PostgreSQL
// LISTEN/NOTIFY, or Redis when REDIS_URL is set), which brings it to every other process; a process never hears
// its own messages back, so nothing is delivered twice. Messages published together in one tick travel as one
// body, in order; each sender's bodies arrive in the order sent.
// subscribe() hears every process's messages (GraphQL subscriptions); subscribeOwn() hears only this process's
// (consumers that act once per event: notifications, metrics).
export function createAppPubSub(transport?: EventTransport) {
  const all = createPubSub<PubSubChannels>();
  const own = createPubSub<PubSubChannels>();
  let outgoing: Array<[Topic, unknown]> = [];
  const flush = () => {
    if (outgoing.length === 0) return;
    const batch = outgoing;
    outgoing = [];
    transport?.send(asciiJson(batch));
  };
  transport?.onReceive((body) => {
    let batch: Array<[Topic, PubSubChannels[Topic][0]]>;
    try {
      batch = JSON.parse(body) as typeof batch;
    } catch (error) {
      logger.warn('cluster: an event body could not be read', { error: (error as Error).message });
      return;
    }
    for (const [topic, raw] of batch) if (REVIVE[topic]) all.publish(topic, REVIVE[topic](raw));
  });
  return {
    publish<T extends Topic>(topic: T, ...args: PubSubChannels[T]): void {
      own.publish(topic, ...args);
      all.publish(topic, ...args);
      if (!transport) return;
      outgoing.push([topic, args[0]]);
      if (outgoing.length === 1) queueMicrotask(flush);
      else if (outgoing.length >= MAX_BATCH) flush();
    },
    subscribe: all.subscribe,
    subscribeOwn: own.subscribe,
  };
}
export type AppPubSub = ReturnType<typeof createAppPubSub>;
