// Child processes of a bench: started with a PORT, awaited on an HTTP readiness URL, always killed at the end.
'use strict';

const { spawn } = require('node:child_process');
const http = require('node:http');

const children = new Set();

// Any exit path of the bench process takes its children down with it
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

function startChild(label, args, env, { cwd } = {}) {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let tail = '';
  const keep = (chunk) => {
    tail = (tail + chunk.toString()).slice(-8000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.on('exit', () => children.delete(child));
  return { label, child, output: () => tail };
}

function getStatus(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => req.destroy());
  });
}

async function waitReady(handle, url, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (handle.child.exitCode !== null)
      throw new Error(`${handle.label} exited with ${handle.child.exitCode}:\n${handle.output()}`);
    if ((await getStatus(url)) === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${handle.label} not ready at ${url} after ${timeoutMs} ms:\n${handle.output()}`);
}

// SIGTERM (graceful), SIGKILL after graceMs. Resolves true when the child exited on its own.
function stopChild(handle, graceMs = 5000) {
  const { child } = handle;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(!killed);
    });
    child.kill('SIGTERM');
  });
}

module.exports = { startChild, waitReady, stopChild, getStatus };
