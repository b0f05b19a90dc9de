import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

// TEST_API_MAIN: run another build (e.g. the code before a fix, to see a test fail on it)
export const MAIN = process.env.TEST_API_MAIN ?? path.resolve(__dirname, '../../dist/main.js');

export type ApiProcess = { child: ChildProcess; output: () => string; url: string; stop(): Promise<number | null> };

// Runs the built api exactly as `npm run start:api` does, capturing everything it prints. ownProcessGroup: as
// a terminal runs it, so a test can send a signal to the whole group, as Ctrl-C does. main: another build's entry.
export async function spawnApi(
  env: Record<string, string>,
  port: number,
  timeoutMs = 60_000,
  ownProcessGroup = false,
  main = MAIN,
): Promise<ApiProcess> {
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: ownProcessGroup,
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`api exited with ${child.exitCode}:\n${out}`);
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`api not ready in time:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    child,
    url,
    output: () => out,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

export function freePort(): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const net = require('node:net') as typeof import('node:net');
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as import('node:net').AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}
