// Small keep-alive load generator (autocannon is not installed): closed loop (N connections, each sends its next
// request when the previous answer arrives) and open loop (a fixed arrival rate whatever the answers do).
'use strict';

const http = require('node:http');
const { setMaxListeners } = require('node:events');
const { summarize, sinceMs } = require('./stats');

// Never rejects: a transport error or an aborted request resolves with status 0
function postJson(agent, url, body, timeoutMs = 30_000, signal = undefined) {
  const u = new URL(url);
  const payload = Buffer.from(body);
  return new Promise((resolve) => {
    const req = http.request(
      {
        agent,
        signal,
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': payload.length },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
        res.on('error', (error) => resolve({ status: 0, body: String(error) }));
      },
    );
    req.on('error', (error) => resolve({ status: 0, body: String(error) }));
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.end(payload);
  });
}

function tally(statuses, status) {
  statuses[status] = (statuses[status] ?? 0) + 1;
}

// `connections` loops, each posting makeBody(i) back to back for durationMs. Latency = send -> full answer.
async function closedLoop({ url, makeBody, connections, durationMs, timeoutMs = 30_000, onResponse }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies = [];
  const statuses = {};
  let seq = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + durationMs;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < deadline) {
        const i = seq++;
        const t0 = process.hrtime.bigint();
        const res = await postJson(agent, url, makeBody(i), timeoutMs);
        latencies.push(sinceMs(t0));
        tally(statuses, res.status);
        onResponse?.(i, res, t0);
      }
    }),
  );
  const elapsedS = sinceMs(started) / 1000;
  agent.destroy();
  const answered = latencies.length - (statuses[0] ?? 0);
  return { sent: seq, elapsedS, perSec: answered / elapsedS, statuses, latency: summarize(latencies) };
}

// `rate` requests per second for durationMs. Latency is measured from each request's scheduled time, so a
// stalled server shows up in the percentiles instead of slowing the generator down (no coordinated omission).
// Answers still missing graceMs after the last send are abandoned and counted as status 0 (`unanswered`).
async function openLoop({ url, makeBody, rate, durationMs, graceMs = 10_000, maxSockets = 256, onSend, onResponse }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const latencies = [];
  const statuses = {};
  const total = Math.round((rate * durationMs) / 1000);
  const intervalNs = BigInt(Math.round(1e9 / rate));
  const started = process.hrtime.bigint();
  const inFlight = [];
  const abort = new AbortController();
  setMaxListeners(0, abort.signal); // one listener per request in flight
  let abandoned = false;
  let unanswered = 0;
  let lateMax = 0;
  let i = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const now = process.hrtime.bigint();
      while (i < total && started + BigInt(i) * intervalNs <= now) {
        const n = i++;
        const scheduled = started + BigInt(n) * intervalNs;
        lateMax = Math.max(lateMax, Number(now - scheduled) / 1e6);
        const body = makeBody(n);
        onSend?.(n, scheduled);
        inFlight.push(
          postJson(agent, url, body, durationMs + graceMs, abort.signal).then((res) => {
            if (res.status === 0 && abandoned) {
              unanswered += 1;
              return;
            }
            latencies.push(sinceMs(scheduled));
            tally(statuses, res.status);
            onResponse?.(n, res, scheduled);
          }),
        );
      }
      if (i < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  // Abandon what is still unanswered graceMs after the last send
  const timer = setTimeout(() => {
    abandoned = true;
    abort.abort();
  }, graceMs);
  await Promise.all(inFlight);
  clearTimeout(timer);
  const elapsedS = sinceMs(started) / 1000;
  agent.destroy();
  return {
    sent: i,
    unanswered,
    elapsedS,
    perSec: latencies.length / elapsedS,
    statuses,
    latency: summarize(latencies),
    generatorLateMaxMs: lateMax,
  };
}

module.exports = { postJson, closedLoop, openLoop };
