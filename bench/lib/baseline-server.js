#!/usr/bin/env node
// The floor the webhook is compared with: node:http + pg, one INSERT ... ON CONFLICT per alert into a table of
// the api's `alerts` shape (same columns, same unique (strategy_id, idempotency_key) index), then 202/200.
// No auth lookup, no validation beyond JSON, no execution row, no events. Run as a child process:
//   DATABASE_URL=postgres://... PORT=1234 node bench/lib/baseline-server.js
'use strict';

const http = require('node:http');
const { randomUUID } = require('node:crypto');
const { Pool } = require('pg');

const STRATEGY_ID = '00000000-0000-4000-8000-000000000001';
// Same pool size as the api's DB_POOL_MAX default
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX || 10) });

// Columns, types and the unique constraint copied from the api's alerts migration (minus the strategies FK)
const DDL = `
create table if not exists "alerts" ("id" uuid not null, "created_at" timestamptz not null default now(),
  "updated_at" timestamptz not null default now(), "strategy_id" uuid not null, "idempotency_key" varchar(200) not null,
  "raw_body" text not null, "payload" jsonb null, "received_at" timestamptz not null, "processed_at" timestamptz null,
  "status" text check ("status" in ('RECEIVED', 'PROCESSING', 'PROCESSED', 'REJECTED', 'FAILED')) not null default 'RECEIVED',
  "reject_reason" varchar(64) null, "error_text" text null, "correlation_id" uuid not null, "source_ip" varchar(64) null,
  constraint "alerts_pkey" primary key ("id"));
create index if not exists "alerts_status_received_at_index" on "alerts" ("status", "received_at");
do $$ begin
  alter table "alerts" add constraint "alerts_strategy_id_idempotency_key_unique" unique ("strategy_id", "idempotency_key");
exception when duplicate_table then null; end $$;`;

const INSERT = `insert into alerts (id, created_at, updated_at, strategy_id, idempotency_key, raw_body, payload, received_at, status, correlation_id, source_ip)
  values (gen_random_uuid(), now(), now(), $1, $2, $3, $4, now(), 'RECEIVED', $5, $6)
  on conflict (strategy_id, idempotency_key) do nothing returning id`;

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function handle(req, res) {
  if (req.method === 'GET' && req.url === '/readyz') return send(res, 200, { status: 'ready' });
  if (req.method !== 'POST' || req.url !== '/api/webhook/tradingview') return send(res, 404, { error: 'not_found' });
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const raw = Buffer.concat(chunks).toString();
  let body;
  try {
    body = JSON.parse(raw);
  } catch {
    return send(res, 400, { error: 'invalid_payload' });
  }
  const key = String(body.idempotency_key ?? '');
  const correlationId = randomUUID();
  const { secret, ...payload } = body;
  const inserted = await pool.query(INSERT, [
    STRATEGY_ID,
    key,
    raw.split(String(secret)).join('***'),
    JSON.stringify(payload),
    correlationId,
    req.socket.remoteAddress ?? '',
  ]);
  if (inserted.rows[0])
    return send(res, 202, { status: 'accepted', alert_id: inserted.rows[0].id, correlation_id: correlationId });
  const existing = await pool.query('select id from alerts where strategy_id = $1 and idempotency_key = $2', [
    STRATEGY_ID,
    key,
  ]);
  return send(res, 200, { status: 'duplicate', alert_id: existing.rows[0].id });
}

async function main() {
  await pool.query(DDL);
  const server = http.createServer((req, res) => {
    handle(req, res).catch((error) => {
      process.stderr.write(`baseline: ${error.stack}\n`);
      if (!res.headersSent) send(res, 500, { error: 'internal' });
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT), '127.0.0.1');
  const stop = () => server.close(() => pool.end().then(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  process.stderr.write(`baseline failed to start: ${error.stack}\n`);
  process.exit(1);
});
