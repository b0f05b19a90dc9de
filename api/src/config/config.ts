import { z } from 'zod';
import { AppConfig, DEV_ADMIN_PASSWORD, DEV_ENCRYPTION_KEY, DEV_SECRET_KEY, EnvKey, envSchema } from './env.schema';

export class ConfigError extends Error {}

// Validates the whole environment at boot; a bad value stops the process with every problem listed.
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const shape = Object.fromEntries(
    Object.entries(envSchema).map(([key, spec]) => [key, spec.schema]),
  ) as unknown as Record<EnvKey, z.ZodTypeAny>;
  const raw = Object.fromEntries(Object.keys(envSchema).map((key) => [key, env[key] === '' ? undefined : env[key]]));
  const parsed = z.object(shape).safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data as AppConfig;
  // The Mongo backend connects eagerly and a missing server crashes the process later: refuse at start instead
  if (config.JOBS_BACKEND === 'mongo' && !config.MONGO_URL)
    throw new ConfigError('Invalid configuration:\n  MONGO_URL: required when JOBS_BACKEND=mongo');
  if (config.NODE_ENV === 'production') {
    const problems: string[] = [];
    if (config.SECRET_KEY === DEV_SECRET_KEY) problems.push('SECRET_KEY must be set (not the development default)');
    if (config.ENCRYPTION_KEY === DEV_ENCRYPTION_KEY)
      problems.push('ENCRYPTION_KEY must be set (not the development default)');
    // Anyone who read the README could sign in as the seeded admin
    if (config.SEED_ADMIN_PASSWORD === DEV_ADMIN_PASSWORD)
      problems.push('SEED_ADMIN_PASSWORD must be set (not the published default)');
    if (problems.length) throw new ConfigError(`Refusing to start in production:\n  ${problems.join('\n  ')}`);
  }
  return config;
}

// For start-up logs: every setting with sensitive values masked.
export function describeConfig(config: AppConfig): Record<string, unknown> {
  return Object.fromEntries(
    (Object.keys(envSchema) as EnvKey[]).map((key) => {
      const spec = envSchema[key] as { sensitive?: boolean };
      const value = config[key];
      return [key, spec.sensitive && value !== undefined ? '***' : value];
    }),
  );
}
