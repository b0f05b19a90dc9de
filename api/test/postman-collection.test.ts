import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestApi, TestApi } from './harness/test-api';

// The Postman collection in postman/ is run request by request (newman, as a user would) against a real api;
// every request's own tests assert the documented status codes and bodies.
const ROOT = path.resolve(__dirname, '../..');
const COLLECTION = path.join(ROOT, 'postman/algodatta.postman_collection.json');
const ENVIRONMENT = path.join(ROOT, 'postman/algodatta.postman_environment.json');
const NEWMAN = require.resolve('newman/bin/newman.js');

type Execution = {
  item: { name: string };
  response?: { code: number; stream?: { data: number[] } };
  assertions?: Array<{ assertion: string; error?: { message: string } }>;
};
type Report = {
  run: {
    executions: Execution[];
    failures: Array<{ source: { name: string }; error: { message: string; test?: string } }>;
  };
};

type Item = { name: string; item?: Item[] };
const requestNames = (items: Item[]): string[] => items.flatMap((i) => (i.item ? requestNames(i.item) : [i.name]));

function runNewman(baseUrl: string, out: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [
        NEWMAN,
        'run',
        COLLECTION,
        '-e',
        ENVIRONMENT,
        '--env-var',
        `baseUrl=${baseUrl}`,
        '--reporters',
        'cli,json',
        '--reporter-json-export',
        out,
        '--timeout-request',
        '10000',
        '--color',
        'off',
      ],
      { maxBuffer: 20 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

describe('Postman collection', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ BROKER_PAPER_MARKET_HOURS: 'ignore' });
  });
  afterAll(async () => {
    await api.close();
  });

  it("should pass every request's tests against a started server", async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'newman-')), 'report.json');
    const run = await runNewman(api.url, out);
    const report = JSON.parse(fs.readFileSync(out, 'utf8')) as Report;
    const executions = report.run.executions;
    const collection = JSON.parse(fs.readFileSync(COLLECTION, 'utf8')) as { item: Item[] };
    // Every request ran, in order
    expect(executions.map((e) => e.item.name)).toEqual(requestNames(collection.item));

    const failures = report.run.failures;
    expect([
      failures.map((f) => `${f.source.name}: ${f.error.test ?? ''} ${f.error.message}`),
      run.code === 0 ? 'ok' : run.output,
    ]).toEqual([[], 'ok']);

    // Each documented answer of the webhook was seen
    const webhookCodes = executions.filter((e) => /^\d{3} /.test(e.item.name)).map((e) => e.response?.code);
    expect(new Set(webhookCodes)).toEqual(new Set([202, 200, 401, 400, 413, 422, 429]));
  }, 120_000);
});
