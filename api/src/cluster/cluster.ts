import { AsyncResource } from 'node:async_hooks';
import Redis from 'ioredis';
import type { Pool } from 'pg';
import { logger } from '../shared/logger';
import { ChangeFeed, pgChangeFeed } from './change-feed';
import { EventTransport, pgEventTransport, redisEventTransport } from './event-transport';
import { OverflowFeed, pgOverflowFeed } from './overflow-feed';
import { PgChannels } from './pg-channels';
import { LimiterFactory, postgresLimiters, redisLimiters } from './shared-limiters';

// What lets several api processes on one database behave as one: events for subscriptions (PostgreSQL
// LISTEN/NOTIFY, or Redis pub/sub with REDIS_URL), the change feed for caches and live sessions (always
// PostgreSQL: the triggers are there), and rate-limit counters (PostgreSQL, or Redis with REDIS_URL).
export type Cluster = {
  channels: PgChannels;
  changes: ChangeFeed;
  // Work left in PostgreSQL by a busy process, announced to the idle ones (always PostgreSQL)
  overflow: OverflowFeed;
  transport: EventTransport;
  limiters: LimiterFactory;
  redis?: Redis;
  close(): Promise<void>;
};

export async function openCluster(options: {
  databaseUrl: string;
  redisUrl?: string;
  limiterPool: Pool;
}): Promise<Cluster> {
  const channels = new PgChannels(options.databaseUrl);
  const changes = pgChangeFeed(channels);
  const overflow = pgOverflowFeed(channels);
  const redis = options.redisUrl ? await openRedis(options.redisUrl) : undefined;
  try {
    // The processes of one database form one cluster; several clusters (test runs) may share one Redis
    const namespace = redisNamespace(options.databaseUrl);
    const transport = redis ? await redisEventTransport(redis, channels.id, namespace) : pgEventTransport(channels);
    await channels.start();
    // No other api process on this database: the alert limits can answer ahead of the store (shared-limiters.ts)
    const soleWriter = () => !channels.hasPeers();
    const limiters: LimiterFactory = {
      ...(redis ? redisLimiters(redis, namespace, soleWriter) : postgresLimiters(options.limiterPool, soleWriter)),
      peerJoined: (handler) => channels.onPeerJoined(handler),
    };
    logger.info('cluster ready', { events: transport.kind, limits: limiters.kind, changes: 'postgres' });
    return {
      channels,
      changes,
      overflow,
      transport,
      limiters,
      redis,
      async close() {
        await transport.close();
        await channels.close();
        redis?.disconnect();
      },
    };
  } catch (error) {
    redis?.disconnect();
    await channels.close();
    throw error;
  }
}

export function redisNamespace(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return `algodatta:${url.host}${url.pathname}`;
}

// A Redis that cannot be reached at start is a start-up error (as a database would be); later, while it is away,
// commands fail at once (the rate limiters' insurance answers) and the client reconnects by itself.
async function openRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 5000,
  });
  redis.on(
    'error',
    AsyncResource.bind((error: Error) => logger.warn('cluster: Redis connection error', { error: error.message })),
  );
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(`REDIS_URL: cannot reach Redis (${(error as Error).message})`, { cause: error });
  }
  return redis;
}
