// Starts the built dashboard on WEB_PORT (default 3000): Express serving the assets, the favicon and the Remix
// handler. Not remix-serve: the handler needs each browser's address (AppLoadContext.clientAddress), which the
// dashboard forwards, signed, with sign-ins and registrations so that every browser has its own login budget.
// The root `npm start` sets PORT=4000 for the API in the same environment, so PORT is never read here.
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { createRequestHandler as createFetchHandler, installGlobals } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { prepareEnvironment, trustProxySetting } from "./environment.js";

const webRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const serverBuild = resolve(webRoot, "build/server/index.js");
if (!existsSync(serverBuild)) {
  console.error(`[web] ${serverBuild} is missing: run \`npm run build -w web\` first.`);
  process.exit(1);
}

prepareEnvironment(resolve(webRoot, ".."));
const port = process.env.WEB_PORT || "3000";
if (!/^\d+$/.test(port)) {
  console.error(`[web] WEB_PORT must be a port number, got "${port}".`);
  process.exit(1);
}
process.env.NODE_ENV ??= "production";

const build = await import(pathToFileURL(serverBuild).href);
installGlobals({ nativeFetch: build.future.v3_singleFetch });

const app = express();
app.disable("x-powered-by");
// Behind a reverse proxy, the browser's address is the nearest X-Forwarded-For entry a trusted hop wrote
app.set("trust proxy", trustProxySetting(process.env.WEB_TRUST_PROXY));
// Not the CSV export: compression buffers what a slow browser has not taken inside its gzip stream, out of sight
// of the export's backpressure (below); the file passes through as the api sends it
const EXPORT_PATH = "/resources/report-export";
app.use(compression({ filter: (req, res) => req.path !== EXPORT_PATH && compression.filter(req, res) }));
// The build names its assets folder relative to the web folder: resolved here, so a start from another folder
// (node web/server/start.js at the repo root) still serves the scripts
app.use(
  build.publicPath,
  express.static(resolve(webRoot, build.assetsBuildDirectory), { immutable: true, maxAge: "1y" }),
);
app.use(express.static(resolve(webRoot, "public"), { maxAge: "1h" }));
app.all(
  "*",
  createRequestHandler({
    build,
    mode: process.env.NODE_ENV,
    getLoadContext: (req, res) => ({ clientAddress: req.ip?.replace(/^::ffff:/i, ""), drained: backpressure(res) }),
  }),
);

await warmUp(build);
const server = app.listen(Number(port), process.env.HOST, () => console.log(`[web] http://localhost:${port}`));
server.on("error", (error) => {
  console.error(`[web] cannot listen on ${port}: ${error.message}`);
  process.exit(1);
});
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    // a browser's keep-alive or live connection must not hold the exit up
    setTimeout(() => process.exit(0), 3000).unref();
  });
}

// Remix writes a response body without waiting for the socket (res.write's answer is ignored), so a body that is
// itself a stream (the CSV export passed through from the api) would be read as fast as the api sends it and
// held here for a slow browser. The load context's drained() is null while little waits to be sent, else a
// promise that settles once the browser has taken most of it (or left); a streamed body waits for it. Measured on
// what the response holds unsent, polled (res.write's own answer turns false at 16 KB: waiting on every such
// "drain" slowed a fast download tenfold).
const BACKLOG_BYTES = 1024 * 1024;

function backpressure(res) {
  return () => (res.writableLength > BACKLOG_BYTES ? backlogTaken(res) : null);
}

async function backlogTaken(res) {
  while (res.writableLength > BACKLOG_BYTES / 2 && !res.destroyed && !res.writableEnded) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// A freshly started dashboard's first page took 1.2-1.9 s where the next took a tenth of that: the first render
// through Remix and React, the first session read, the first fetch (Node loads its HTTP client on first use) and
// the first connection to the api all happened inside a trader's request. Before listening, pages that need no
// session go through the same handler in-process (the sign-in page; a signed-out page, which redirects), and one
// GraphQL request reaches the api (a keep-alive connection then waits). Never holds the start up for long: an api
// that is not up yet only means a colder first page.
async function warmUp(serverBuild) {
  const WARM_UP_MS = 5000; // (a function declaration is hoisted, a const is not: this runs before the module ends)
  const started = Date.now();
  const handle = createFetchHandler(serverBuild, process.env.NODE_ENV);
  const context = { clientAddress: "127.0.0.1", drained: () => null };
  const page = async (path) => {
    const res = await handle(new Request(`http://localhost${path}`, { headers: { accept: "text/html" } }), context);
    await res.arrayBuffer();
  };
  const work = (async () => {
    await page("/login");
    await page("/executions");
    const res = await fetch(process.env.API_URL || "http://localhost:4000/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }" }),
      signal: AbortSignal.timeout(WARM_UP_MS),
    });
    await res.arrayBuffer();
  })();
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not done in ${WARM_UP_MS} ms`)), WARM_UP_MS);
  });
  try {
    await Promise.race([work, timeout]);
    console.log(`[web] warmed up in ${Date.now() - started} ms`);
  } catch (error) {
    work.catch(() => {});
    console.warn(`[web] warm-up incomplete (${error.message}); the first page may be slower`);
  } finally {
    clearTimeout(timer);
  }
}
