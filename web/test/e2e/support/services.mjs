import { spawn } from "node:child_process";

// A child process whose output is kept (last lines) so a failing test can show why a service died.
export function startService(name, command, args, { cwd, env }) {
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  const lines = [];
  const keep = (chunk) => {
    for (const line of chunk.toString().split("\n")) {
      if (line.trim()) lines.push(line);
    }
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  let exitInfo = null;
  void exited.then((info) => {
    exitInfo = info;
  });
  if (process.env.E2E_VERBOSE) {
    child.stdout.on("data", (c) => process.stdout.write(`[${name}] ${c}`));
    child.stderr.on("data", (c) => process.stderr.write(`[${name}] ${c}`));
  }

  return {
    name,
    child,
    logs: () => lines.join("\n"),
    hasExited: () => exitInfo !== null,
    exitInfo: () => exitInfo,
    // SIGTERM, then SIGKILL if it has not gone within the grace period.
    async stop(graceMs = 5000) {
      if (exitInfo) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

// Polls url until check(response) is true; fails fast if the service exits first.
export async function waitForHttp(service, url, { timeoutMs = 60_000, check = (res) => res.ok } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError = "no response yet";
  while (Date.now() < deadline) {
    if (service.hasExited()) {
      throw new Error(
        `${service.name} exited (${JSON.stringify(service.exitInfo())}) before ${url} was ready:\n${service.logs()}`,
      );
    }
    try {
      const res = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(2000) });
      if (check(res)) return;
      lastError = `status ${res.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${service.name} not ready at ${url} after ${timeoutMs} ms (${lastError}):\n${service.logs()}`);
}
