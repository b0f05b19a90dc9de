import type Redis from 'ioredis';
import { AsyncResource } from 'node:async_hooks';
import { logger } from '../shared/logger';
import { encodeFrames, FrameAssembler } from './notify-frames';
import { throttledWarning } from './throttled-warning';
import type { PgChannels } from './pg-channels';

// Carries this process's event bodies to the other api processes, and theirs to this one. A transport never
// hands a process its own bodies back (the app's PubSub delivered them locally already), and keeps each sender's
// bodies in the order they were sent.
export type EventTransport = {
  readonly kind: 'postgres' | 'redis';
  send(body: string): void;
  onReceive(handler: (body: string) => void): void;
  close(): Promise<void>;
};

export const EVENTS_CHANNEL = 'algodatta_events';

// PostgreSQL LISTEN/NOTIFY on this process's cluster connection: bodies are cut into frames below the 8000-byte
// payload limit; a send is one transaction, sends go one after another; nothing is sent while no other process
// listens (a single-process deployment pays nothing for it).
export function pgEventTransport(channels: PgChannels): EventTransport {
  const assembler = new FrameAssembler();
  const handlers: Array<(body: string) => void> = [];
  let seq = 0;
  channels.listen(EVENTS_CHANNEL, (payload) => {
    const received = assembler.accept(payload);
    if (!received || received.sender === channels.id) return;
    for (const handler of handlers) handler(received.body);
  });
  channels.onReconnect(() => assembler.reset());
  return {
    kind: 'postgres',
    send: (body) => {
      if (channels.hasPeers()) void channels.notify(EVENTS_CHANNEL, encodeFrames(channels.id, ++seq, body));
    },
    onReceive: (handler) => {
      handlers.push(handler);
    },
    close: async () => undefined,
  };
}

// Redis pub/sub: one connection publishes (in order), a second one subscribes (ioredis subscribes again by
// itself after a reconnect). Messages are "<sender> <body>".
export async function redisEventTransport(redis: Redis, sender: string, namespace: string): Promise<EventTransport> {
  const channel = `${namespace}:events`;
  const subscriber = redis.duplicate();
  subscriber.on(
    'error',
    AsyncResource.bind((error: Error) =>
      logger.warn('cluster: Redis subscriber connection error', { error: error.message }),
    ),
  );
  const handlers: Array<(body: string) => void> = [];
  subscriber.on(
    'message',
    AsyncResource.bind((_channel: string, message: string) => {
      const space = message.indexOf(' ');
      if (space < 0 || message.slice(0, space) === sender) return;
      const body = message.slice(space + 1);
      for (const handler of handlers) handler(body);
    }),
  );
  const notPublished = throttledWarning('cluster: an event was not published to Redis');
  await subscriber.connect();
  await subscriber.subscribe(channel);
  return {
    kind: 'redis',
    send: (body) => {
      redis
        .publish(channel, `${sender} ${body}`)
        .catch((error: unknown) => notPublished({ error: (error as Error).message }));
    },
    onReceive: (handler) => {
      handlers.push(handler);
    },
    close: async () => {
      subscriber.disconnect();
    },
  };
}
