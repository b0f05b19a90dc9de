// Starts the built dashboard with remix-serve on WEB_PORT (default 3000).
// remix-serve reads PORT, but the root `npm start` sets PORT=4000 for the API in the same
// environment, so PORT is replaced here before remix-serve's CLI runs.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const webRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const serverBuild = resolve(webRoot, "build/server/index.js");
if (!existsSync(serverBuild)) {
  console.error(`[web] ${serverBuild} is missing: run \`npm run build -w web\` first.`);
  process.exit(1);
}

const port = process.env.WEB_PORT || "3000";
if (!/^\d+$/.test(port)) {
  console.error(`[web] WEB_PORT must be a port number, got "${port}".`);
  process.exit(1);
}
process.env.PORT = port;
process.env.NODE_ENV ??= "production";
// remix-serve serves ./public relative to the working directory.
process.chdir(webRoot);
process.argv = [process.argv[0], "remix-serve", serverBuild];

const require = createRequire(import.meta.url);
await import(pathToFileURL(require.resolve("@remix-run/serve/dist/cli.js")).href);
