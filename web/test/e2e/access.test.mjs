// End to end over HTTP (no browser needed): the login budget per browser address, sessions across a dashboard
// restart, and quiet answers for the favicon and unknown pages. The api and the dashboard run as `npm start`
// runs them: no SESSION_SECRET and no DASHBOARD_FORWARD_SECRET, one DATA_DIR, where the dashboard creates both.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { SESSION_COOKIE } from "./support/session-cookie.mjs";
import { startStack, startWeb, stopStack } from "./support/stack.mjs";

const ADMIN = { email: "admin@access.test", password: `Adm1n-${randomBytes(6).toString("hex")}` };
const dataDir = mkdtempSync(join(tmpdir(), "algodatta-access-"));
const stack = {};

before(() =>
  startStack(stack, {
    admin: ADMIN,
    browser: false,
    apiEnv: {
      DATA_DIR: dataDir,
      DASHBOARD_FORWARD_SECRET: undefined,
      LOGIN_MAX_PER_IP: "3",
      LOGIN_MAX_PER_EMAIL: "100",
    },
    webEnv: {
      DATA_DIR: dataDir,
      DASHBOARD_FORWARD_SECRET: undefined,
      SESSION_SECRET: undefined,
      SESSION_COOKIE_SECURE: "false",
    },
  }),
);

after(async () => {
  await stopStack(stack);
  rmSync(dataDir, { recursive: true, force: true });
});

// One HTTP request to the dashboard from a chosen loopback address (127.0.0.0/8 is all ours on Linux)
function send(path, { from = "127.0.0.1", method = "GET", form, cookie } = {}) {
  const body = form ? new URLSearchParams(form).toString() : undefined;
  const url = new URL(path, stack.webUrl.replace("localhost", "127.0.0.1"));
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        localAddress: from,
        headers: {
          ...(body && {
            "content-type": "application/x-www-form-urlencoded",
            "content-length": Buffer.byteLength(body),
          }),
          ...(cookie && { cookie }),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const signIn = (from, email, password) =>
  send("/login", { from, method: "POST", form: { email, password, redirectTo: "/" } });
const sessionFrom = (res) =>
  [res.headers["set-cookie"] ?? []]
    .flat()
    .map((c) => c.split(";")[0])
    .find((c) => c.startsWith(`${SESSION_COOKIE}=`));

test("a session survives a restart of the dashboard without SESSION_SECRET", async () => {
  const signedIn = await signIn("127.0.0.4", ADMIN.email, ADMIN.password);
  const cookie = sessionFrom(signedIn);
  assert.ok(cookie, `no session cookie (status ${signedIn.status})`);
  assert.equal((await send("/", { from: "127.0.0.4", cookie })).status, 200);

  await stack.web.stop();
  await startWeb(stack);

  const after = await send("/", { from: "127.0.0.4", cookie });
  assert.equal(after.status, 200, `sent to ${after.headers.location}`);
});

test("browsers at different addresses do not share a login budget through the dashboard", async () => {
  const guesser = "127.0.0.2";
  for (let i = 0; i < 3; i += 1) {
    const res = await signIn(guesser, `nobody${i}@access.test`, "wrong-password-1");
    assert.equal(res.status, 401, `guess ${i}`);
    assert.match(res.text, /Wrong email or password/);
  }
  const limited = await signIn(guesser, "nobody@access.test", "wrong-password-1");
  assert.equal(limited.status, 429);
  assert.match(limited.text, /Too many login attempts/);

  // another browser signs in: it was refused too while every login shared the web server's address
  const other = await signIn("127.0.0.3", ADMIN.email, ADMIN.password);
  assert.equal(other.status, 302, other.text.slice(0, 300));
  assert.ok(sessionFrom(other));
});

test("the dashboard created its secrets once in DATA_DIR, readable only by their owner", () => {
  for (const name of ["session-secret", "dashboard-forward-secret"]) {
    assert.equal(statSync(join(dataDir, name)).mode & 0o777, 0o600, name);
  }
});

test("the favicon is served and an unknown page is a quiet 404", async () => {
  const icon = await send("/favicon.ico");
  assert.equal(icon.status, 200);
  assert.match(String(icon.headers["content-type"]), /icon/);

  const missing = await send("/no-such-page");
  assert.equal(missing.status, 404);
  assert.match(missing.text, /Page not found/);
  const missingData = await send("/no-such-page.data");
  assert.equal(missingData.status, 404);

  await new Promise((r) => setTimeout(r, 200));
  const logs = stack.web.logs();
  assert.doesNotMatch(logs, /No route matches|Error:|^\s+at /m, logs);
});

test("the dashboard serves its scripts whatever folder it was started from", async () => {
  await stack.web.stop();
  stack.webCwd = "/";
  try {
    await startWeb(stack);
    const page = await send("/login");
    const scripts = [...new Set([...page.text.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]))];
    assert.ok(scripts.length > 3, `the login page names its scripts (${scripts.length})`);
    for (const script of scripts) {
      const res = await send(script);
      assert.equal(res.status, 200, `${script} from a dashboard started in /`);
      assert.match(res.headers["content-type"], /javascript/);
    }
  } finally {
    delete stack.webCwd;
  }
});
