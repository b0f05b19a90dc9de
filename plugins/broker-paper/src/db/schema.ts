// The plugin's own tables (prefix paper_), created idempotently under an advisory lock so that
// several processes starting at once do not race on CREATE TABLE

import type { Pool } from 'pg';

// Arbitrary constant: pg_advisory_xact_lock key for this plugin's DDL
const SCHEMA_LOCK_KEY = 748_201_991;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS paper_accounts (
  account_id        text PRIMARY KEY,
  initial_capital   numeric NOT NULL,
  created_at        bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS paper_orders (
  account_id        text NOT NULL REFERENCES paper_accounts(account_id),
  client_order_id   text NOT NULL,
  broker_order_id   text NOT NULL UNIQUE,
  symbol            text NOT NULL,
  exchange_segment  text NOT NULL,
  security_id       text,
  lot_size          numeric NOT NULL,
  tick_size         numeric NOT NULL,
  is_option         boolean NOT NULL,
  slippage_bps      numeric NOT NULL,
  side              text NOT NULL,
  type              text NOT NULL,
  product           text NOT NULL,
  time_in_force     text NOT NULL,
  quantity          numeric NOT NULL,
  price             numeric,
  trigger_price     numeric,
  triggered         boolean NOT NULL DEFAULT false,
  status            text NOT NULL,
  filled_quantity   numeric NOT NULL DEFAULT 0,
  average_price     numeric,
  reject_reason     text,
  tag               text,
  created_at        bigint NOT NULL,
  updated_at        bigint NOT NULL,
  PRIMARY KEY (account_id, client_order_id)
);
CREATE INDEX IF NOT EXISTS paper_orders_open_by_symbol
  ON paper_orders (exchange_segment, symbol) WHERE status = 'open';
CREATE TABLE IF NOT EXISTS paper_fills (
  trade_id          text PRIMARY KEY,
  account_id        text NOT NULL REFERENCES paper_accounts(account_id),
  client_order_id   text NOT NULL,
  broker_order_id   text NOT NULL,
  symbol            text NOT NULL,
  exchange_segment  text NOT NULL,
  security_id       text,
  side              text NOT NULL,
  product           text NOT NULL,
  quantity          numeric NOT NULL,
  price             numeric NOT NULL,
  charges           jsonb NOT NULL,
  charges_total     numeric NOT NULL,
  ts                bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS paper_fills_by_account ON paper_fills (account_id, ts);
CREATE TABLE IF NOT EXISTS paper_positions (
  account_id        text NOT NULL REFERENCES paper_accounts(account_id),
  symbol            text NOT NULL,
  exchange_segment  text NOT NULL,
  product           text NOT NULL,
  security_id       text,
  net_quantity      numeric NOT NULL,
  average_price     numeric NOT NULL,
  realized_pnl      numeric NOT NULL,
  charges           numeric NOT NULL,
  buy_quantity      numeric NOT NULL,
  sell_quantity     numeric NOT NULL,
  updated_at        bigint NOT NULL,
  revision          bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, exchange_segment, symbol, product)
);
-- Databases made before revision existed (every write of a position bumps it; see engine/entry-fill.ts)
ALTER TABLE paper_positions ADD COLUMN IF NOT EXISTS revision bigint NOT NULL DEFAULT 0;
CREATE TABLE IF NOT EXISTS paper_prices (
  exchange_segment  text NOT NULL,
  symbol            text NOT NULL,
  price             numeric NOT NULL,
  ts                bigint NOT NULL,
  PRIMARY KEY (exchange_segment, symbol)
);
`;

export async function ensureSchema(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
    await client.query(SCHEMA_SQL);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  } finally {
    client.release();
  }
}
