import { Migration } from '@mikro-orm/migrations';

export class Migration20261126045105 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "app_settings" ("key" varchar(64) not null, "value" jsonb not null, "updated_at" timestamptz not null default now(), constraint "app_settings_pkey" primary key ("key"));`,
    );

    this.addSql(
      `create table "instruments" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "broker" varchar(32) not null, "security_id" varchar(32) not null, "exchange_segment" varchar(16) not null, "exchange" varchar(8) not null, "trading_symbol" varchar(96) not null, "underlying" varchar(96) null, "instrument_type" varchar(16) not null, "series" varchar(8) null, "lot_size" numeric(20,4) not null, "tick_size" numeric(20,4) not null, "expiry" timestamptz null, "strike_price" numeric(20,4) null, "option_type" varchar(4) null, "raw" jsonb null, constraint "instruments_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "instruments_broker_underlying_index" on "instruments" ("broker", "underlying");`);
    this.addSql(
      `create index "instruments_broker_trading_symbol_index" on "instruments" ("broker", "trading_symbol");`,
    );
    this.addSql(
      `alter table "instruments" add constraint "instruments_broker_exchange_segment_security_id_unique" unique ("broker", "exchange_segment", "security_id");`,
    );

    this.addSql(
      `create table "users" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "email" varchar(254) not null, "password_hash" varchar(255) not null, "role" text check ("role" in ('ADMIN', 'USER')) not null default 'USER', "status" text check ("status" in ('ACTIVE', 'DISABLED')) not null default 'ACTIVE', constraint "users_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);

    this.addSql(
      `create table "strategies" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "user_id" uuid not null, "name" varchar(120) not null, "symbol" varchar(64) not null, "exchange_segment" varchar(16) not null default 'NSE_EQ', "product_type" varchar(16) not null default 'INTRADAY', "timeframe" varchar(16) not null, "qty" numeric(20,4) not null, "mode" text check ("mode" in ('PAPER', 'LIVE')) not null default 'PAPER', "enabled" boolean not null default true, "disabled_reason" text null, "webhook_secret_hash" varchar(64) null, "deployed_at" timestamptz null, "instrument_override" varchar(32) null, "max_qty_per_order" numeric(20,4) null, "max_open_position" numeric(20,4) null, "max_daily_loss" numeric(20,4) null, "trading_window_start" varchar(5) null, "trading_window_end" varchar(5) null, "allowed_sides" text check ("allowed_sides" in ('BOTH', 'LONG_ONLY', 'SHORT_ONLY')) not null default 'BOTH', "opposite_signal_policy" text check ("opposite_signal_policy" in ('REVERSE', 'REDUCE_ONLY')) not null default 'REVERSE', "alerts_per_minute" int not null default 60, "deleted_at" timestamptz null, constraint "strategies_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "strategies_user_id_index" on "strategies" ("user_id");`);
    this.addSql(
      `alter table "strategies" add constraint "strategies_webhook_secret_hash_unique" unique ("webhook_secret_hash");`,
    );

    this.addSql(
      `create table "positions" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "strategy_id" uuid not null, "symbol" varchar(64) not null, "mode" text check ("mode" in ('PAPER', 'LIVE')) not null, "qty" numeric(20,4) not null default '0', "avg_price" numeric(20,4) not null default '0', "realized_pnl" numeric(20,4) not null default '0', "unrealized_pnl" numeric(20,4) not null default '0', "charges" numeric(20,4) not null default '0', "last_price" numeric(20,4) null, constraint "positions_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "positions" add constraint "positions_strategy_id_symbol_mode_unique" unique ("strategy_id", "symbol", "mode");`,
    );

    this.addSql(
      `create table "alerts" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "strategy_id" uuid not null, "idempotency_key" varchar(200) not null, "raw_body" text not null, "payload" jsonb null, "received_at" timestamptz not null, "processed_at" timestamptz null, "status" text check ("status" in ('RECEIVED', 'PROCESSING', 'PROCESSED', 'REJECTED', 'FAILED')) not null default 'RECEIVED', "reject_reason" varchar(64) null, "error_text" text null, "correlation_id" uuid not null, "source_ip" varchar(64) null, constraint "alerts_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "alerts_status_received_at_index" on "alerts" ("status", "received_at");`);
    this.addSql(
      `alter table "alerts" add constraint "alerts_strategy_id_idempotency_key_unique" unique ("strategy_id", "idempotency_key");`,
    );

    this.addSql(
      `create table "refresh_tokens" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "user_id" uuid not null, "family_id" uuid not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "revoked_at" timestamptz null, constraint "refresh_tokens_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "refresh_tokens_family_id_index" on "refresh_tokens" ("family_id");`);
    this.addSql(
      `alter table "refresh_tokens" add constraint "refresh_tokens_token_hash_unique" unique ("token_hash");`,
    );

    this.addSql(
      `create table "notification_channels" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "user_id" uuid not null, "kind" text check ("kind" in ('TELEGRAM', 'EMAIL')) not null, "target" varchar(254) not null, "config_enc" text null, "events" jsonb not null, "enabled" boolean not null default true, constraint "notification_channels_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "notifications" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "user_id" uuid not null, "channel_id" uuid null, "event_type" varchar(48) not null, "subject" varchar(200) not null, "body" text not null, "status" text check ("status" in ('PENDING', 'SENT', 'FAILED')) not null default 'PENDING', "attempts" int not null default 0, "error" text null, "sent_at" timestamptz null, constraint "notifications_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "notifications_status_created_at_index" on "notifications" ("status", "created_at");`);

    this.addSql(
      `create table "executions" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "strategy_id" uuid not null, "user_id" uuid not null, "alert_id" uuid not null, "correlation_id" uuid not null, "client_order_id" varchar(64) not null, "symbol" varchar(64) not null, "exchange_segment" varchar(16) not null, "security_id" varchar(32) null, "side" text check ("side" in ('BUY', 'SELL', 'EXIT')) not null, "order_type" text check ("order_type" in ('MARKET', 'LIMIT', 'SL', 'SL-M')) not null default 'MARKET', "product_type" varchar(16) not null, "qty" numeric(20,4) not null, "price" numeric(20,4) null, "trigger_price" numeric(20,4) null, "mode" text check ("mode" in ('PAPER', 'LIVE')) not null, "broker" varchar(32) not null, "status" text check ("status" in ('PENDING', 'PLACED', 'PARTIALLY_FILLED', 'FILLED', 'REJECTED', 'CANCELLED', 'FAILED')) not null default 'PENDING', "broker_order_id" varchar(64) null, "filled_qty" numeric(20,4) not null default '0', "avg_fill_price" numeric(20,4) null, "charges" numeric(20,4) not null default '0', "pnl" numeric(20,4) null, "reject_reason" varchar(64) null, "last_error" text null, "attempts" int not null default 0, "next_attempt_at" timestamptz null, "broker_request" jsonb null, "broker_response" jsonb null, constraint "executions_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "executions" add constraint "executions_alert_id_unique" unique ("alert_id");`);
    this.addSql(
      `alter table "executions" add constraint "executions_client_order_id_unique" unique ("client_order_id");`,
    );
    this.addSql(`create index "executions_status_index" on "executions" ("status");`);
    this.addSql(
      `create index "executions_strategy_id_created_at_index" on "executions" ("strategy_id", "created_at");`,
    );
    this.addSql(`create index "executions_user_id_created_at_index" on "executions" ("user_id", "created_at");`);

    this.addSql(
      `create table "fills" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "execution_id" uuid not null, "trade_id" varchar(64) not null, "qty" numeric(20,4) not null, "price" numeric(20,4) not null, "total_charges" numeric(20,4) not null default '0', "charge_breakdown" jsonb null, "filled_at" timestamptz not null, "raw" jsonb null, constraint "fills_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "fills" add constraint "fills_execution_id_trade_id_unique" unique ("execution_id", "trade_id");`,
    );

    this.addSql(
      `create table "execution_events" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "execution_id" uuid not null, "alert_id" uuid not null, "strategy_id" uuid not null, "type" text check ("type" in ('ALERT_RECEIVED', 'ORDER_PLACED', 'ORDER_FILLED', 'ORDER_REJECTED', 'ORDER_CANCELLED', 'ERROR')) not null, "at" timestamptz not null, "correlation_id" uuid not null, "payload" jsonb null, constraint "execution_events_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "execution_events_execution_id_at_index" on "execution_events" ("execution_id", "at");`);

    this.addSql(
      `create table "dead_letters" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "execution_id" uuid not null, "user_id" uuid not null, "reason" varchar(64) not null, "last_error" text null, "attempts" int not null default 0, "payload" jsonb null, "replayed_at" timestamptz null, constraint "dead_letters_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "dead_letters_user_id_created_at_index" on "dead_letters" ("user_id", "created_at");`);

    this.addSql(
      `create table "broker_accounts" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "user_id" uuid not null, "broker" varchar(32) not null, "client_id_enc" text not null, "client_id_masked" varchar(32) not null, "access_token_enc" text null, "refresh_token_enc" text null, "status" text check ("status" in ('CONNECTED', 'EXPIRED', 'DISCONNECTED')) not null default 'CONNECTED', "token_expires_at" timestamptz null, "connected_at" timestamptz null, "last_error" text null, constraint "broker_accounts_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "broker_accounts" add constraint "broker_accounts_user_id_broker_unique" unique ("user_id", "broker");`,
    );

    this.addSql(
      `create table "audit_log" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "actor_id" uuid null, "action" varchar(64) not null, "entity_type" varchar(32) null, "entity_id" varchar(64) null, "details" jsonb null, "ip" varchar(64) null, constraint "audit_log_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "audit_log_created_at_index" on "audit_log" ("created_at");`);

    this.addSql(
      `alter table "strategies" add constraint "strategies_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "positions" add constraint "positions_strategy_id_foreign" foreign key ("strategy_id") references "strategies" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "alerts" add constraint "alerts_strategy_id_foreign" foreign key ("strategy_id") references "strategies" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "refresh_tokens" add constraint "refresh_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "notification_channels" add constraint "notification_channels_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "notifications" add constraint "notifications_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "notifications" add constraint "notifications_channel_id_foreign" foreign key ("channel_id") references "notification_channels" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "executions" add constraint "executions_strategy_id_foreign" foreign key ("strategy_id") references "strategies" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "executions" add constraint "executions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "executions" add constraint "executions_alert_id_foreign" foreign key ("alert_id") references "alerts" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "fills" add constraint "fills_execution_id_foreign" foreign key ("execution_id") references "executions" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "execution_events" add constraint "execution_events_execution_id_foreign" foreign key ("execution_id") references "executions" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "dead_letters" add constraint "dead_letters_execution_id_foreign" foreign key ("execution_id") references "executions" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "dead_letters" add constraint "dead_letters_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "broker_accounts" add constraint "broker_accounts_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "audit_log" add constraint "audit_log_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on update cascade on delete set null;`,
    );
  }
}
