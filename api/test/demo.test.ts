import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { adminQuery, databaseUrl, dropDatabase } from './harness/databases';

// `npm run demo` end to end (after the build, as npm test runs it): the simulator, the built api and dashboard,
// the demo user's strategies and a short alert stream; on a test database instead of the embedded one.
const ROOT = path.resolve(__dirname, '../..');

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('npm run demo', () => {
  const dbName = `algodatta_test_demo_${randomBytes(6).toString('hex')}`;
  beforeAll(async () => {
    await adminQuery(`create database "${dbName}"`);
  });
  afterAll(async () => {
    await dropDatabase(dbName);
  });

  it('should start everything, trade paper and live (simulated) orders from a stream with a resend and a broken alert, and stop cleanly', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'algodatta-demo-'));
    const env = {
      PATH: process.env.PATH,
      DEMO_ALERTS: '14',
      DEMO_EXIT: '1',
      DEMO_ALERTS_PER_SECOND: '10',
      DEMO_DATABASE_URL: databaseUrl(dbName),
      DEMO_DATA_DIR: path.join(dataDir, 'demo'),
      PORT: String(await freePort()),
      WEB_PORT: String(await freePort()),
    };
    const run = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(
        process.execPath,
        [path.join(ROOT, 'demo/run-demo.mjs')],
        { env, cwd: ROOT, timeout: 150_000 },
        (error, stdout, stderr) => {
          resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr });
        },
      );
    });
    const summaryLine = run.output.split('\n').find((l) => l.startsWith('DEMO SUMMARY '));
    expect([run.code, summaryLine ? 'summary' : run.output]).toEqual([0, 'summary']);
    const summary = JSON.parse(summaryLine!.slice('DEMO SUMMARY '.length));
    expect(summary.answers).toEqual({ accepted: 12, duplicate: 1, invalid_payload: 1 });
    // The alerts became orders on both sides, filled on paper and at the DhanHQ simulator
    expect(summary.executions.recent['PAPER:FILLED']).toBeGreaterThanOrEqual(6);
    expect(summary.executions.recent['LIVE:FILLED']).toBeGreaterThanOrEqual(3);
    expect(run.output).toMatch(/BUY .* -> 202 accepted/);
    expect(run.output).toMatch(/SELL .* -> 202 accepted/);
    expect(run.output).toContain('(TradingView resend)');
    expect(run.output).toContain('Dashboard  http://localhost:');
  }, 180_000);
});
