import { randomBytes } from 'node:crypto';
import { loadConfig, ConfigError } from '../src/config/config';
import { JOBS, JobHandlers, startJobs } from '../src/jobs/agenda';
import { openJobsBackend } from '../src/jobs/jobs-backend';
import { databaseUrl, adminQuery, dropDatabase, TEMPLATE_ENV } from './harness/databases';
import { waitFor } from './harness/pipeline';

// The jobs module runs the same jobs on either backend (JOBS_BACKEND=postgres|mongo)
function handlers(attempted: string[]): JobHandlers {
  return {
    attempt: async (id) => {
      attempted.push(id);
    },
    recover: async () => undefined,
    poll: async () => undefined,
    squareOff: async () => undefined,
    expireDayOrders: async () => undefined,
  };
}

async function runsAnAttempt(env: Record<string, string>, databaseUrlForJobs: string): Promise<void> {
  const config = loadConfig({
    NODE_ENV: 'test',
    JOBS_PROCESS_EVERY: '1 second',
    JOBS_LOCK_LIFETIME_MS: '2000',
    ...env,
  });
  const attempted: string[] = [];
  const jobs = await startJobs(
    config,
    databaseUrlForJobs,
    handlers(attempted),
    [{ segments: ['NSE_EQ'], time: '15:15' }],
    ['15:30'],
  );
  try {
    const executionId = randomBytes(8).toString('hex');
    await jobs.agenda.now(JOBS.EXECUTION_ATTEMPT, { executionId });
    // Polled every second; a loaded machine (a full run on 2 cores) has taken more than 10 s
    await waitFor(async () => attempted.includes(executionId), 40_000, 'the attempt job to run');
    const { jobs: stored } = await jobs.agenda.queryJobs({ names: [JOBS.RECOVER_PENDING, JOBS.PAPER_SQUARE_OFF] });
    expect(stored.map((j) => j.name).sort()).toEqual([JOBS.RECOVER_PENDING, JOBS.PAPER_SQUARE_OFF]);
  } finally {
    await jobs.stop();
  }
}

describe('jobs backend', () => {
  it('should run jobs on PostgreSQL by default', async () => {
    const name = `algodatta_test_jobs_${randomBytes(6).toString('hex')}`;
    await adminQuery(`create database "${name}" template "${process.env[TEMPLATE_ENV]}"`);
    try {
      await runsAnAttempt({}, databaseUrl(name));
    } finally {
      await dropDatabase(name);
    }
  }, 60_000);

  // A stop right after the database cut every connection hung (pool-errors on a loaded CI run): Agenda's LISTEN
  // connection was reconnecting when Agenda stopped, and that reconnect landed after the channel's disconnect
  it("should close when a reconnect of Agenda's LISTEN connection landed after Agenda stopped", async () => {
    const name = `algodatta_test_jobs_${randomBytes(6).toString('hex')}`;
    await adminQuery(`create database "${name}" template "${process.env[TEMPLATE_ENV]}"`);
    try {
      const jobs = await openJobsBackend({ JOBS_BACKEND: 'postgres', MONGO_URL: undefined }, databaseUrl(name));
      await jobs.backend.connect();
      const channel = jobs.backend.notificationChannel!;
      await channel.connect();
      await channel.disconnect(); // what agenda.stop() does
      await channel.connect(); // the reconnect that was under way then, landed after it
      const outcome = await Promise.race([
        jobs.close().then(() => 'closed'),
        new Promise((resolve) => setTimeout(() => resolve('still waiting after 10 s'), 10_000)),
      ]);
      expect(outcome).toBe('closed');
    } finally {
      await dropDatabase(name);
    }
  }, 30_000);

  it('should refuse JOBS_BACKEND=mongo without MONGO_URL at start, and an unknown backend', () => {
    expect(() => loadConfig({ JOBS_BACKEND: 'mongo' })).toThrow(ConfigError);
    expect(() => loadConfig({ JOBS_BACKEND: 'mongo' })).toThrow(/MONGO_URL: required when JOBS_BACKEND=mongo/);
    expect(() => loadConfig({ JOBS_BACKEND: 'redis' })).toThrow(/JOBS_BACKEND/);
  });

  it('should fail start-up with a clear error, not crash later, when MongoDB cannot be reached', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      JOBS_BACKEND: 'mongo',
      MONGO_URL: 'mongodb://127.0.0.1:9/algodatta?serverSelectionTimeoutMS=300',
    });
    await expect(startJobs(config, '', handlers([]), [], [])).rejects.toThrow(
      /JOBS_BACKEND=mongo: cannot reach MongoDB at MONGO_URL/,
    );
  });

  // No MongoDB server runs on the CI machine: this part needs one (e.g. docker compose --profile mongo up mongo)
  const mongoUrl = process.env.MONGO_URL;
  (mongoUrl ? it : it.skip)(
    `should run jobs on MongoDB${mongoUrl ? '' : ' (skipped: MONGO_URL is not set)'}`,
    async () => {
      await runsAnAttempt({ JOBS_BACKEND: 'mongo', MONGO_URL: mongoUrl! }, '');
    },
  );
  if (!mongoUrl) process.stdout.write('jobs-backend.test: the MongoDB case is skipped because MONGO_URL is not set\n');
});
