import type { AddressInfo } from 'node:net';
import { loadConfig, describeConfig } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import { openDatabase, Database } from '../db/database';
import { seed } from '../db/seed';
import { createAppPubSub } from '../graphql/pubsub';
import { buildAppSchema } from '../graphql/schema';
import { logger } from '../shared/logger';
import { BrokerRegistry } from '../modules/brokers/plugin-registry';
import { createServer } from './create-server';
import { createServices, Services } from './services';

export type RunningApi = { config: AppConfig; db: Database; services: Services; port: number; url: string; stop(): Promise<void> };

// config -> database (embedded or DATABASE_URL) -> migrate -> seed -> schema -> server. Used by main.ts and tests.
export async function startApi(env: NodeJS.ProcessEnv = process.env): Promise<RunningApi> {
  const config = loadConfig(env);
  logger.level = config.LOG_LEVEL;
  logger.info('starting api', { config: describeConfig(config) });
  const db = await openDatabase(config, logger);
  try {
    await seed(db.orm.em.fork(), config, logger);
    const pubSub = createAppPubSub();
    const brokers = BrokerRegistry.load(config, db.url, logger);
    const services = createServices(config, pubSub, brokers);
    const schema = await buildAppSchema(pubSub);
    const server = await createServer(db.orm, schema, services);
    await new Promise<void>((resolve, reject) => {
      server.httpServer.once('error', reject);
      server.httpServer.listen(config.PORT, resolve);
    });
    const port = (server.httpServer.address() as AddressInfo).port;
    logger.info('api listening', { port, graphql: `http://localhost:${port}/graphql` });
    return {
      config, db, services, port, url: `http://127.0.0.1:${port}`,
      async stop() {
        await server.stop();
        await brokers.closeAll();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
