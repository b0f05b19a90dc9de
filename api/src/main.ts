import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './db/database';
import { PluginLoadError } from '@algodatta/broker-sdk';
import { ConfigError } from './config/config';
import { installFatalHandlers } from './app/fatal-handlers';
import { RunningApi, startApi } from './app/start-api';
import { logger } from './shared/logger';

// A .env at the repo root is optional; variables already in the environment win over it.
function loadDotEnv(): void {
  const file = path.join(REPO_ROOT, '.env');
  if (fs.existsSync(file)) process.loadEnvFile(file);
}

async function main(): Promise<void> {
  installFatalHandlers(logger);
  loadDotEnv();
  // Handlers go in before start-up begins: a signal during start-up waits for it, then stops cleanly
  let starting: Promise<RunningApi> | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    const api = await starting?.catch(() => undefined);
    await api?.stop().catch((error) => logger.error('shutdown failed', { error }));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  starting = startApi();
  await starting;
}

main().catch((error) => {
  if (error instanceof ConfigError || error instanceof PluginLoadError) process.stderr.write(`${error.message}\n`);
  else logger.error('api failed to start', { error });
  process.exit(1);
});
