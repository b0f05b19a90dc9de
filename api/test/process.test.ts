import { execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAIN, freePort, spawnApi } from './harness/api-process';
import { adminQuery, databaseUrl, dropDatabase, TEMPLATE_ENV } from './harness/databases';
import { gql, login, register } from './harness/graphql-client';
import { createAndDeploy, postAlert, uniqueKey, waitForStatus } from './harness/pipeline';

describe('the api process', () => {
  it('should refuse to start in production with the default SECRET_KEY', () => {
    let stderr = '';
    try {
      execFileSync(process.execPath, [MAIN], {
        env: { PATH: process.env.PATH, NODE_ENV: 'production', DATABASE_URL: 'postgres://x@127.0.0.1:1/x' },
        stdio: 'pipe',
      });
    } catch (error) {
      stderr = String((error as { stderr: Buffer }).stderr);
      expect((error as { status: number }).status).toBe(1);
    }
    expect(stderr).toMatch(/Refusing to start in production/);
    expect(stderr).toMatch(/SECRET_KEY must be set/);
  });

  it('should never print passwords, tokens or secrets, even at debug level', async () => {
    const dbName = `algodatta_test_logs_${process.pid}`;
    await adminQuery(`create database "${dbName}" template "${process.env[TEMPLATE_ENV]}"`);
    const secretKey = 'log-test-secret-key-abcdefghijklmnopqrstuvwxyz';
    const adminPassword = 'Seed-Admin-Pass-42';
    const api = await spawnApi(
      {
        NODE_ENV: 'test',
        LOG_LEVEL: 'debug',
        DATABASE_URL: databaseUrl(dbName),
        SECRET_KEY: secretKey,
        SEED_ADMIN_EMAIL: 'root@logs.test',
        SEED_ADMIN_PASSWORD: adminPassword,
      },
      await freePort(),
    );
    try {
      const password = 'Very-Secret-Password-77';
      const session = await register(api.url, 'logs@example.com', password);
      await login(api.url, 'logs@example.com', 'wrong-password-99');
      const admin = await login(api.url, 'root@logs.test', adminPassword);
      const refreshed = await gql(
        api.url,
        'mutation($t: String!) { refreshToken(token: $t) { accessToken refreshToken } }',
        { t: session.refreshToken },
      );
      await gql(api.url, '{ me { id } }', undefined, 'garbage-token');
      const output = api.output();
      expect(output).toContain('"level":"info"');
      for (const secret of [
        password,
        'wrong-password-99',
        adminPassword,
        secretKey,
        session.accessToken,
        session.refreshToken,
        admin.data!.login.accessToken,
        refreshed.data!.refreshToken.refreshToken,
      ]) {
        expect(output).not.toContain(secret);
      }
      // every line is JSON with a timestamp
      for (const line of output.trim().split('\n')) expect(JSON.parse(line)).toHaveProperty('timestamp');
    } finally {
      await api.stop();
      await dropDatabase(dbName);
    }
  });

  it.each(['rejection', 'exception'])('should log an unhandled %s as JSON and exit non-zero', async (kind) => {
    const dbName = `algodatta_test_crash_${kind}_${process.pid}`;
    await adminQuery(`create database "${dbName}" template "${process.env[TEMPLATE_ENV]}"`);
    try {
      const child = spawn(process.execPath, [MAIN], {
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'test',
          LOG_LEVEL: 'warn',
          DATABASE_URL: databaseUrl(dbName),
          PORT: String(await freePort()),
          BROKER_PLUGINS: `@algodatta/broker-paper,${path.resolve(__dirname, 'fixtures/crashing-broker.js')}`,
          CRASH: kind,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
      });
      child.stderr!.on('data', (d) => {
        out += d;
      });
      const code = await new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve(null);
        }, 20_000);
        child.once('exit', (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      expect(code).toBe(1);
      const lines = out
        .trim()
        .split('\n')
        .map((line) => {
          try {
            return JSON.parse(line);
          } catch {
            return { unparsed: line };
          }
        });
      expect(lines.filter((l) => 'unparsed' in l)).toEqual([]);
      expect(lines).toContainEqual(expect.objectContaining({ level: 'error', message: `unhandled ${kind}, exiting` }));
      expect(out).toContain(kind === 'rejection' ? 'nobody awaited this' : 'thrown from a timer');
    } finally {
      await dropDatabase(dbName);
    }
  });

  it('should answer /healthz and /readyz, and echo a correlation id', async () => {
    const dbName = `algodatta_test_health_${process.pid}`;
    await adminQuery(`create database "${dbName}" template "${process.env[TEMPLATE_ENV]}"`);
    const api = await spawnApi(
      { NODE_ENV: 'test', LOG_LEVEL: 'warn', DATABASE_URL: databaseUrl(dbName) },
      await freePort(),
    );
    try {
      expect(await (await fetch(`${api.url}/healthz`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${api.url}/readyz`, { headers: { 'x-correlation-id': 'trace-12345678' } });
      expect(ready.status).toBe(200);
      expect(ready.headers.get('x-correlation-id')).toBe('trace-12345678');
      // Idle connections kept 65 s (create-server.ts): a client's reuse never races our close at 5 s
      expect(ready.headers.get('keep-alive')).toBe('timeout=65');
      expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
    } finally {
      await api.stop();
      await dropDatabase(dbName);
    }
  });

  it('should boot an embedded PostgreSQL without DATABASE_URL and reuse its data on the next start', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'algodatta-embedded-'));
    fs.chmodSync(dataDir, 0o755);
    const env = { NODE_ENV: 'test', LOG_LEVEL: 'info', DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()) };
    try {
      const first = await spawnApi(env, await freePort(), 120_000);
      await register(first.url, 'persist@example.com', 'password-123');
      expect(first.output()).toMatch(/"reused":false/);
      expect(await first.stop()).toBe(0);

      const second = await spawnApi(env, await freePort(), 120_000);
      const again = await login(second.url, 'persist@example.com', 'password-123');
      expect(again.data!.login.user.email).toBe('persist@example.com');
      expect(second.output()).toMatch(/"reused":true/);
      expect(await second.stop()).toBe(0);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);

  it('should stop quietly on Ctrl-C: the embedded PostgreSQL outlives the pools that use it', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'algodatta-ctrl-c-'));
    fs.chmodSync(dataDir, 0o755);
    const pgPort = await freePort();
    const api = await spawnApi(
      {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        DATA_DIR: dataDir,
        EMBEDDED_PG_PORT: String(pgPort),
        BROKER_PAPER_MARKET_HOURS: 'ignore',
      },
      await freePort(),
      120_000,
      true,
    );
    try {
      // an order through the paper broker, so its pool exists and has served a request with a correlation id
      const trader = await register(api.url, 'ctrl-c@example.com');
      const strategy = await createAndDeploy(api.url, trader.accessToken, {});
      const reply = await postAlert(api.url, {
        secret: strategy.secret,
        idempotency_key: uniqueKey(),
        symbol: 'RELIANCE',
        side: 'BUY',
        qty: 1,
        price: 2500,
      });
      expect(reply.status).toBe(202);
      await waitForStatus(api.url, trader.accessToken, reply.body.alert_id, ['FILLED'], 20_000);

      process.kill(-api.child.pid!, 'SIGINT'); // what a terminal sends on Ctrl-C: every process of the group
      expect(await api.stop()).toBe(0);
      const output = api.output();
      const lines = output
        .slice(output.lastIndexOf('\n', output.indexOf('"message":"shutting down"')) + 1)
        .trim()
        .split('\n')
        .filter(Boolean);
      expect(lines[0]).toMatch(/shutting down/);
      const loud = lines.filter((line) => {
        const entry = JSON.parse(line) as { level: string; correlationId?: string };
        return !['info', 'debug'].includes(entry.level) || entry.correlationId !== undefined;
      });
      expect(loud).toEqual([]);
      // and PostgreSQL was stopped by the api, not left behind
      const refused = await new Promise<boolean>((resolve) => {
        const socket = net.connect(pgPort, '127.0.0.1', () => {
          socket.destroy();
          resolve(false);
        });
        socket.on('error', () => resolve(true));
      });
      expect(refused).toBe(true);
    } finally {
      if (api.child.exitCode === null) process.kill(-api.child.pid!, 'SIGKILL');
      stopLeftoverPostgres(path.join(dataDir, 'pg'));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});

// A failed run must not leave a PostgreSQL server holding the temp folder
function stopLeftoverPostgres(databaseDir: string): void {
  try {
    const pid = Number(fs.readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (pid > 0) process.kill(pid, 'SIGQUIT');
  } catch {
    /* none running */
  }
}
