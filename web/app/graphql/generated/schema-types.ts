export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar.This scalar is serialized to a string in ISO 8601 format and parsed from a string in ISO 8601 format. */
  DateTimeISO: { input: string; output: string; }
  /** An exact decimal number as a string, e.g. "1234.50"; inputs may also be numbers */
  Decimal: { input: string; output: string; }
  /** The `JSON` scalar type represents JSON values as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf). */
  JSON: { input: unknown; output: unknown; }
};

/** Whether an account used by enabled LIVE strategies can trade today */
export type AccountReadiness = {
  __typename?: 'AccountReadiness';
  /** The broker account; null when none is connected */
  accountId?: Maybe<Scalars['ID']['output']>;
  broker: Scalars['String']['output'];
  checkedAt: Scalars['DateTimeISO']['output'];
  items: Array<ReadinessItem>;
  /** No blocking check failed (see READINESS_BLOCKING); alerts of its LIVE strategies are refused otherwise (broker_not_ready) */
  ready: Scalars['Boolean']['output'];
  /** Exchange segments its enabled LIVE strategies trade */
  segments: Array<Scalars['String']['output']>;
  userId: Scalars['ID']['output'];
};

export type AllowedSides =
  | 'BOTH'
  | 'LONG_ONLY'
  | 'SHORT_ONLY';

/** An API key of yours (the secret is never shown again after createApiKey) */
export type ApiKey = {
  __typename?: 'ApiKey';
  createdAt: Scalars['DateTimeISO']['output'];
  expiresAt?: Maybe<Scalars['DateTimeISO']['output']>;
  id: Scalars['ID']['output'];
  /** Updated at most once a minute */
  lastUsedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  name: Scalars['String']['output'];
  /** The start of the secret, to tell keys apart */
  prefix: Scalars['String']['output'];
  scopes: Array<ApiKeyScope>;
  updatedAt: Scalars['DateTimeISO']['output'];
};

export type ApiKeyInput = {
  /** After this time the key is refused (UNAUTHENTICATED); none = until revoked */
  expiresAt?: InputMaybe<Scalars['DateTimeISO']['input']>;
  /** What the key is for, e.g. "portfolio sync" */
  name: Scalars['String']['input'];
  /** READ: queries and subscriptions; TRADE: also the trading mutations */
  scopes: Array<ApiKeyScope>;
};

export type ApiKeyScope =
  /** Queries and subscriptions */
  | 'READ'
  /** Also the trading mutations: strategies (create, update, delete, clone, toggle, deploy) and replayDeadLetter */
  | 'TRADE';

export type AuthPayload = {
  __typename?: 'AuthPayload';
  accessToken: Scalars['String']['output'];
  refreshToken: Scalars['String']['output'];
  user: User;
};

export type BrokerAccount = {
  __typename?: 'BrokerAccount';
  /** Automatic daily login with the stored PIN + TOTP secret is on */
  autoLogin: Scalars['Boolean']['output'];
  broker: Scalars['String']['output'];
  /** The platform kill switch also activates this account's kill switch at the broker */
  brokerKillSwitch: Scalars['Boolean']['output'];
  /** Client id with all but the last 4 characters masked */
  clientIdMasked: Scalars['String']['output'];
  connectedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  createdAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  /** Your name for this account (e.g. "Main", "Family"); null for the default account connected without one */
  label?: Maybe<Scalars['String']['output']>;
  lastError?: Maybe<Scalars['String']['output']>;
  /** When the platform last renewed the token or logged in again */
  sessionRenewedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  status: BrokerAccountStatus;
  tokenExpiresAt?: Maybe<Scalars['DateTimeISO']['output']>;
  /** How the stored token was made: web (pasted), renew (extended by the platform) or login (automatic PIN + TOTP login) */
  tokenVia?: Maybe<Scalars['String']['output']>;
  updatedAt: Scalars['DateTimeISO']['output'];
  userId: Scalars['ID']['output'];
};

/** Your account at a broker as the broker reports it now; parts that fail are listed in problems */
export type BrokerAccountDetails = {
  __typename?: 'BrokerAccountDetails';
  account: BrokerAccount;
  funds?: Maybe<BrokerFundsInfo>;
  holdings?: Maybe<Array<BrokerHoldingInfo>>;
  positions?: Maybe<Array<BrokerPositionInfo>>;
  problems: Array<BrokerReadProblem>;
  profile?: Maybe<BrokerProfileInfo>;
};

export type BrokerAccountStatus =
  | 'CONNECTED'
  | 'DISCONNECTED'
  | 'EXPIRED';

export type BrokerAutoLoginInput = {
  /** Which account (default: your first at the broker) */
  accountId?: InputMaybe<Scalars['ID']['input']>;
  broker: Scalars['String']['input'];
  /** The trading PIN at the broker; stored encrypted, never returned */
  pin: Scalars['String']['input'];
  /** The base32 TOTP secret shown when TOTP was enabled at the broker; stored encrypted, never returned */
  totpSecret: Scalars['String']['input'];
};

/** What a broker plugin can do (one flag per client method) */
export type BrokerCapabilities = {
  __typename?: 'BrokerCapabilities';
  cancelOrder: Scalars['Boolean']['output'];
  /** A simulated venue: MARKET orders fill when placed, at the alert price */
  fillsOnPlacement: Scalars['Boolean']['output'];
  funds: Scalars['Boolean']['output'];
  getOrder: Scalars['Boolean']['output'];
  holdings: Scalars['Boolean']['output'];
  /** The plugin brings an instrument master that the api stores and resolves TradingView tickers against */
  instrumentMaster: Scalars['Boolean']['output'];
  listOrders: Scalars['Boolean']['output'];
  /** A simulated venue that keeps exchange hours itself (orders outside them are refused or queued) */
  marketHours: Scalars['Boolean']['output'];
  modifyOrder: Scalars['Boolean']['output'];
  /** stream | webhook | poll | none */
  orderUpdates: Scalars['String']['output'];
  placeOrder: Scalars['Boolean']['output'];
  positions: Scalars['Boolean']['output'];
  profile: Scalars['Boolean']['output'];
  searchInstruments: Scalars['Boolean']['output'];
  /** The broker POSTs order updates to /api/webhook/brokers/<name>/postback */
  webhooks: Scalars['Boolean']['output'];
};

/** Which parameter values a broker plugin accepts */
export type BrokerFeatures = {
  __typename?: 'BrokerFeatures';
  modifyPrice: Scalars['Boolean']['output'];
  modifyQuantity: Scalars['Boolean']['output'];
  modifyTrigger: Scalars['Boolean']['output'];
  orderTypes: Array<Scalars['String']['output']>;
  products: Array<Scalars['String']['output']>;
  segments: Array<Scalars['String']['output']>;
  validities: Array<Scalars['String']['output']>;
};

/** Money at the broker, INR */
export type BrokerFundsInfo = {
  __typename?: 'BrokerFundsInfo';
  available: Scalars['Decimal']['output'];
  total: Scalars['Decimal']['output'];
  used: Scalars['Decimal']['output'];
};

/** A delivery holding at the broker */
export type BrokerHoldingInfo = {
  __typename?: 'BrokerHoldingInfo';
  averagePrice: Scalars['Decimal']['output'];
  exchangeSegment: Scalars['String']['output'];
  lastPrice?: Maybe<Scalars['Decimal']['output']>;
  quantity: Scalars['Decimal']['output'];
  securityId?: Maybe<Scalars['String']['output']>;
  symbol: Scalars['String']['output'];
};

export type BrokerPluginInfo = {
  __typename?: 'BrokerPluginInfo';
  capabilities: BrokerCapabilities;
  contractVersion: Scalars['Int']['output'];
  displayName: Scalars['String']['output'];
  features: BrokerFeatures;
  name: Scalars['String']['output'];
  requiredCredentials: Array<Scalars['String']['output']>;
  version: Scalars['String']['output'];
};

/** Today's P&L exit held by the broker: past the profit or the loss it exits every position of those products */
export type BrokerPnlExit = {
  __typename?: 'BrokerPnlExit';
  active: Scalars['Boolean']['output'];
  broker: Scalars['String']['output'];
  /** The broker also activates its kill switch after the exit */
  killSwitch: Scalars['Boolean']['output'];
  /** INR, a positive amount */
  loss?: Maybe<Scalars['Decimal']['output']>;
  products: Array<Scalars['String']['output']>;
  /** INR */
  profit?: Maybe<Scalars['Decimal']['output']>;
};

export type BrokerPnlExitInput = {
  /** Which account (default: your first at the broker) */
  accountId?: InputMaybe<Scalars['ID']['input']>;
  broker: Scalars['String']['input'];
  killSwitch?: Scalars['Boolean']['input'];
  /** Exit once the day's loss reaches this (INR, positive) */
  loss?: InputMaybe<Scalars['Decimal']['input']>;
  /** INTRADAY, CNC, MARGIN or MTF (what the broker accepts) */
  products: Array<Scalars['String']['input']>;
  /** Exit once the day's profit reaches this (INR) */
  profit?: InputMaybe<Scalars['Decimal']['input']>;
};

/** A position at the broker (all of the account's positions, including ones AlgoDatta did not open) */
export type BrokerPositionInfo = {
  __typename?: 'BrokerPositionInfo';
  averagePrice: Scalars['Decimal']['output'];
  exchangeSegment: Scalars['String']['output'];
  lastPrice?: Maybe<Scalars['Decimal']['output']>;
  /** Signed: negative is short */
  netQuantity: Scalars['Decimal']['output'];
  product: Scalars['String']['output'];
  realizedPnl: Scalars['Decimal']['output'];
  securityId?: Maybe<Scalars['String']['output']>;
  symbol: Scalars['String']['output'];
  unrealizedPnl?: Maybe<Scalars['Decimal']['output']>;
};

/** Who the broker says the account is */
export type BrokerProfileInfo = {
  __typename?: 'BrokerProfileInfo';
  /** Client id at the broker, all but the last 4 characters masked */
  clientIdMasked?: Maybe<Scalars['String']['output']>;
  name?: Maybe<Scalars['String']['output']>;
  /** Exchange segments the account may trade */
  segments: Array<Scalars['String']['output']>;
  /** When the broker stops accepting the access token */
  tokenExpiresAt?: Maybe<Scalars['DateTimeISO']['output']>;
};

/** A part of the account that could not be read, and why */
export type BrokerReadProblem = {
  __typename?: 'BrokerReadProblem';
  /** NOT_CONNECTED, NOT_SUPPORTED, or the broker error code (TOKEN_EXPIRED, RATE_LIMITED, TIMEOUT, ...) */
  code: Scalars['String']['output'];
  message: Scalars['String']['output'];
  /** account | profile | funds | holdings | positions */
  part: Scalars['String']['output'];
};

export type ChangePasswordInput = {
  currentPassword: Scalars['String']['input'];
  newPassword: Scalars['String']['input'];
};

export type ConnectBrokerInput = {
  /** Access token issued by the broker; stored encrypted, never returned */
  accessToken: Scalars['String']['input'];
  /** Reconnect this one of your accounts (brokerAccounts) */
  accountId?: InputMaybe<Scalars['ID']['input']>;
  /** Name of a loaded live broker plugin (the `brokers` query lists them) */
  broker: Scalars['String']['input'];
  /** The client id of the account at the broker */
  clientId: Scalars['String']['input'];
  /** Your name for the account (e.g. "Main", "Family"). A new label adds another account at this broker; a label you have reconnects that account. Omitted: the account with this client id, else your default (first) account at the broker */
  label?: InputMaybe<Scalars['String']['input']>;
};

export type CreatedApiKey = {
  __typename?: 'CreatedApiKey';
  apiKey: ApiKey;
  /** Send as "Authorization: Bearer <secret>"; shown only in this answer */
  secret: Scalars['String']['output'];
};

/** Net P&L of the round trips closed on one IST day */
export type DailyPnl = {
  __typename?: 'DailyPnl';
  /** YYYY-MM-DD, IST */
  date: Scalars['String']['output'];
  /** Net of charges (INR) */
  pnl: Scalars['Decimal']['output'];
  /** Round trips closed that day */
  trades: Scalars['Int']['output'];
};

export type DeadLetter = {
  __typename?: 'DeadLetter';
  attempts: Scalars['Int']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  executionId: Scalars['ID']['output'];
  id: Scalars['ID']['output'];
  lastError?: Maybe<Scalars['String']['output']>;
  payload?: Maybe<Scalars['JSON']['output']>;
  reason: Scalars['String']['output'];
  replayedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  updatedAt: Scalars['DateTimeISO']['output'];
};

/** Returned once by deployStrategy: the secret is not stored in clear and cannot be shown again */
export type Deployment = {
  __typename?: 'Deployment';
  /** Paste as the TradingView alert message */
  alertMessage: Scalars['String']['output'];
  /** Pine Script alert() snippet for indicator-based alerts */
  pineSnippet: Scalars['String']['output'];
  webhookSecret: Scalars['String']['output'];
  webhookUrl: Scalars['String']['output'];
  /** Why TradingView cannot use webhookUrl (not public, not https, a port other than 80/443) and how to set PUBLIC_BASE_URL; null when it looks usable */
  webhookUrlWarning?: Maybe<Scalars['String']['output']>;
};

/** A deployed strategy's webhook as it can be shown again: the secret is masked (deploy again to rotate and reveal a new one) */
export type DeploymentPreview = {
  __typename?: 'DeploymentPreview';
  /** The alert message with the secret masked */
  alertMessage: Scalars['String']['output'];
  deployedAt: Scalars['DateTimeISO']['output'];
  /** The Pine Script snippet with the secret masked */
  pineSnippet: Scalars['String']['output'];
  webhookUrl: Scalars['String']['output'];
  /** As on Deployment */
  webhookUrlWarning?: Maybe<Scalars['String']['output']>;
};

/** Cumulative net P&L after a closed round trip */
export type EquityPoint = {
  __typename?: 'EquityPoint';
  /** When the round trip closed (or, on a per-day curve, the last one of that IST day) */
  at: Scalars['DateTimeISO']['output'];
  /** How far equity is below its highest point so far (starting from 0), a positive amount */
  drawdown: Scalars['Decimal']['output'];
  /** Cumulative net P&L from the first trip of the report (INR) */
  equity: Scalars['Decimal']['output'];
};

export type Execution = {
  __typename?: 'Execution';
  alertId: Scalars['ID']['output'];
  /** The exchange algo id the broker stamped on the order (SEBI retail-algo rule), or null */
  algoId?: Maybe<Scalars['String']['output']>;
  attempts: Scalars['Int']['output'];
  avgFillPrice?: Maybe<Scalars['Decimal']['output']>;
  broker: Scalars['String']['output'];
  /** Broker account the order goes to (paper: the strategy's paper account) */
  brokerAccountId?: Maybe<Scalars['String']['output']>;
  brokerOrderId?: Maybe<Scalars['String']['output']>;
  brokerRequest?: Maybe<Scalars['JSON']['output']>;
  brokerResponse?: Maybe<Scalars['JSON']['output']>;
  charges: Scalars['Decimal']['output'];
  /** Our id sent to the broker (its client order id); the idempotency key of the order */
  clientOrderId: Scalars['String']['output'];
  correlationId: Scalars['String']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  events: Array<ExecutionEvent>;
  exchangeSegment: Scalars['String']['output'];
  /** How this execution's exits (stop loss, target, trail) are handled: NATIVE (the broker's own bracket order holds them and does the one-cancels-the-other, where its plugin declares bracket orders; also an exit booked from one of its legs), EMULATED (the core's exit plan watches prices and sends the exit), or null when it has none */
  exitsMode?: Maybe<Scalars['String']['output']>;
  filledQty: Scalars['Decimal']['output'];
  id: Scalars['ID']['output'];
  lastError?: Maybe<Scalars['String']['output']>;
  /** The broker orders of an execution above the exchange freeze limit, in the order sent; [] otherwise */
  legs: Array<ExecutionLeg>;
  mode: TradingMode;
  orderType: OrderType;
  /** How the order was decided: rule (market_position | exit | reverse | reduce_only | signal), the position before and after (signed, order units), side and qty; TradingView marketPosition and positionSize when the alert carried them */
  plan?: Maybe<Scalars['JSON']['output']>;
  /** Realized P&L of this execution, net of charges (INR) */
  pnl?: Maybe<Scalars['Decimal']['output']>;
  /** TradingView's prev_market_position (and size) compared with our position before the order: mismatch true when they differ (a missed or out-of-order alert), and what was done */
  positionCheck?: Maybe<Scalars['JSON']['output']>;
  /** Limit price, or the reference price of a market order */
  price?: Maybe<Scalars['Decimal']['output']>;
  productType: Scalars['String']['output'];
  qty: Scalars['Decimal']['output'];
  /** Why the order was refused. At the webhook (422): strategy_disabled, kill_switch, outside_trading_window, risk_limit, side_not_allowed, broker_not_connected, unknown_symbol, symbol_mismatch (the alert names a symbol the strategy does not trade), market_closed (paper outside the exchange session), account_disabled (the user is disabled), stale_signal (the alert's time is older than maxSignalAgeSeconds), cooldown (an entry within cooldownMinutes of a losing round trip), max_trades_per_day (maxTradesPerDay round trips already opened this IST day), sizing_unavailable (the sizing mode lacks an input: price, stop_loss, funds), size_too_small (the sized quantity rounds down to less than one lot or share), broker_not_ready (the broker account of a LIVE strategy failed a pre-open readiness check: token, static_ip, instruments or trading_day). When planned: no_position, at_target (already where TradingView's market_position puts it), side_not_allowed, risk_limit. Approval queue: approval_rejected (its owner said no), approval_expired (unanswered for approvalTimeoutMinutes), or a door rule refused again at approval. By the broker: its error code in snake case; retries_exhausted for a dead letter */
  rejectReason?: Maybe<Scalars['String']['output']>;
  securityId?: Maybe<Scalars['String']['output']>;
  side: OrderSide;
  /** How the quantity was sized: mode, inputs (capital, price, stop, risk, multiplier, lot size), the quantity before the caps and the result */
  sizing?: Maybe<Scalars['JSON']['output']>;
  /** alert (TradingView), test_alert (the dashboard's test button), close (a trader closing a position from the dashboard) or square_off (the intraday square-off) */
  source: Scalars['String']['output'];
  status: ExecutionStatus;
  strategyId: Scalars['ID']['output'];
  symbol: Scalars['String']['output'];
  triggerPrice?: Maybe<Scalars['Decimal']['output']>;
  updatedAt: Scalars['DateTimeISO']['output'];
};

export type ExecutionConnection = {
  __typename?: 'ExecutionConnection';
  edges: Array<ExecutionEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type ExecutionEdge = {
  __typename?: 'ExecutionEdge';
  cursor: Scalars['String']['output'];
  node: Execution;
};

export type ExecutionEvent = {
  __typename?: 'ExecutionEvent';
  alertId: Scalars['ID']['output'];
  at: Scalars['DateTimeISO']['output'];
  correlationId: Scalars['String']['output'];
  executionId: Scalars['ID']['output'];
  id: Scalars['ID']['output'];
  payload?: Maybe<Scalars['JSON']['output']>;
  strategyId: Scalars['ID']['output'];
  type: ExecutionEventType;
};

export type ExecutionEventType =
  | 'ALERT_RECEIVED'
  | 'APPROVED'
  | 'AWAITING_APPROVAL'
  | 'ERROR'
  | 'EXIT_PLAN'
  | 'ORDER_CANCELLED'
  | 'ORDER_FILLED'
  | 'ORDER_PLACED'
  | 'ORDER_REJECTED';

export type ExecutionFilter = {
  /** YYYY-MM-DD, IST, inclusive */
  from?: InputMaybe<Scalars['String']['input']>;
  mode?: InputMaybe<TradingMode>;
  status?: InputMaybe<ExecutionStatus>;
  strategyId?: InputMaybe<Scalars['ID']['input']>;
  symbol?: InputMaybe<Scalars['String']['input']>;
  /** YYYY-MM-DD, IST, inclusive */
  to?: InputMaybe<Scalars['String']['input']>;
};

/** One broker order of an execution split at the exchange freeze limit */
export type ExecutionLeg = {
  __typename?: 'ExecutionLeg';
  avgFillPrice?: Maybe<Scalars['Decimal']['output']>;
  brokerOrderId?: Maybe<Scalars['String']['output']>;
  clientOrderId: Scalars['String']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  filledQty: Scalars['Decimal']['output'];
  id: Scalars['ID']['output'];
  /** Why the broker refused or cancelled the leg, or why it was not sent */
  lastError?: Maybe<Scalars['String']['output']>;
  /** 1, 2, ... in the order the legs were sent */
  leg: Scalars['Int']['output'];
  /** Units this leg carries */
  qty: Scalars['Decimal']['output'];
  /** NEW (not sent yet), PLACED, PARTIALLY_FILLED, FILLED, REJECTED or CANCELLED (as the broker reports the order) */
  status: Scalars['String']['output'];
  updatedAt: Scalars['DateTimeISO']['output'];
};

export type ExecutionStatus =
  | 'AWAITING_APPROVAL'
  | 'CANCELLED'
  | 'FAILED'
  | 'FILLED'
  | 'PARTIALLY_FILLED'
  | 'PENDING'
  | 'PLACED'
  | 'REJECTED';

export type ExitSettings = {
  __typename?: 'ExitSettings';
  /** Once the price has moved this far in profit the stop moves to the entry price: a percent of the fill price ("1.5%") or points ("20pts") */
  breakevenAt?: Maybe<Scalars['String']['output']>;
  /** Close the position this many minutes after the entry filled */
  exitAfterMinutes?: Maybe<Scalars['Int']['output']>;
  /** Stop loss below a long's fill (above a short's): a percent of the fill price ("1.5%") or points ("20pts") */
  stopLoss?: Maybe<Scalars['String']['output']>;
  /** Target above a long's fill (below a short's): a percent of the fill price ("1.5%") or points ("20pts") */
  takeProfit?: Maybe<Scalars['String']['output']>;
  /** The stop follows the best price by this distance, never backwards: a percent of the fill price ("1.5%") or points ("20pts") */
  trailingStop?: Maybe<Scalars['String']['output']>;
};

export type ExitSettingsInput = {
  breakevenAt?: InputMaybe<Scalars['String']['input']>;
  exitAfterMinutes?: InputMaybe<Scalars['Int']['input']>;
  stopLoss?: InputMaybe<Scalars['String']['input']>;
  takeProfit?: InputMaybe<Scalars['String']['input']>;
  trailingStop?: InputMaybe<Scalars['String']['input']>;
};

export type LoginInput = {
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
};

/** Alerts received in one minute */
export type MinuteCount = {
  __typename?: 'MinuteCount';
  /** Start of the minute */
  at: Scalars['DateTimeISO']['output'];
  count: Scalars['Int']['output'];
};

/** One trading mode today: PAPER is simulated, LIVE is real money */
export type ModeToday = {
  __typename?: 'ModeToday';
  /** Charges of today's executions, INR */
  charges: Scalars['Decimal']['output'];
  /** Executions created today */
  executions: Scalars['Int']['output'];
  filled: Scalars['Int']['output'];
  mode: TradingMode;
  openPositions: Scalars['Int']['output'];
  /** Sum of the P&L of today's executions (IST day), net of charges, INR */
  realizedPnl: Scalars['Decimal']['output'];
  /** REJECTED or FAILED */
  rejected: Scalars['Int']['output'];
  /** Open positions at their latest known price, INR */
  unrealizedPnl: Scalars['Decimal']['output'];
  /** PENDING, PLACED or PARTIALLY_FILLED */
  working: Scalars['Int']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Sends a 6-digit code through the channel; enter it with verifyNotificationChannel */
  addNotificationChannel: NotificationChannel;
  /** Trades the strategy's alerts on one more of your accounts (a connected broker account, or paper as a shadow) */
  addStrategyTarget: StrategyTarget;
  /** Approves an execution AWAITING_APPROVAL: the risk rules and the signal's age are checked again, then the order is placed. Approving twice places once */
  approveExecution: Execution;
  /** Sets a new password after checking the current one (a wrong one is BAD_USER_INPUT on currentPassword). Every login of the account ends; the answer carries the tokens of a new one for the caller */
  changePassword: AuthPayload;
  cloneStrategy: Strategy;
  /** Closes one of your open positions with an EXIT through the pipeline (an execution with source close, like the intraday square-off); allowed while the strategy is disabled or the kill switch is on, since it only reduces risk. The same requestId again returns the first close's execution */
  closePosition: Execution;
  /** Verifies the credentials with the broker, then stores them encrypted (connecting again replaces the token; a new label adds another account at the broker) */
  connectBroker: BrokerAccount;
  /** The secret is in this answer only; it is stored hashed */
  createApiKey: CreatedApiKey;
  createStrategy: Strategy;
  deleteStrategy: Scalars['Boolean']['output'];
  /** Issues (or rotates) the webhook secret; the secret is shown only in this answer */
  deployStrategy: Deployment;
  /** Turns automatic login off and forgets the PIN and TOTP secret */
  disableBrokerAutoLogin: BrokerAccount;
  /** Forgets the access token of your account at this broker; false when there is none */
  disconnectBroker: Scalars['Boolean']['output'];
  /** Opt-in: the platform logs in to this broker with your PIN + TOTP secret when the token is about to expire (stored encrypted). Whoever holds the server and its keys can then trade your account */
  enableBrokerAutoLogin: BrokerAccount;
  login: AuthPayload;
  /** Revokes the given refresh token’s login, or every login of the user when omitted */
  logout: Scalars['Boolean']['output'];
  /** Rotates: the old refresh token stops working; reusing it revokes the login */
  refreshToken: AuthPayload;
  register: AuthPayload;
  /** Rejects an execution AWAITING_APPROVAL (REJECTED, reason approval_rejected) */
  rejectExecution: Execution;
  removeNotificationChannel: Scalars['Boolean']['output'];
  /** Removes a strategy's own list, so the default list applies to it again; returns all of them */
  removeNotificationPreferences: Array<NotificationPreference>;
  /** Stops trading on that account; refused while its position is open */
  removeStrategyTarget: Scalars['Boolean']['output'];
  replayDeadLetter: Execution;
  /** Admin: clears a user's broker access token (audited) */
  resetBrokerToken: Scalars['Boolean']['output'];
  /** Requests with the key are refused (UNAUTHENTICATED) from now on */
  revokeApiKey: Scalars['Boolean']['output'];
  /** Signs one of your logins out (its refresh token stops working); false when there is no such login */
  revokeSession: Scalars['Boolean']['output'];
  /** Sends your strategy a sample alert through the webhook's intake, marked as a test, and returns the webhook's answer. PAPER: it is recorded and fills like a TradingView alert (source test_alert). LIVE: a dry run, checked and answered but never recorded or ordered */
  sendTestAlert: TestAlertResult;
  /** Queues a test message to a verified channel; see notifications for its status */
  sendTestNotification: Scalars['Boolean']['output'];
  /** Whether the platform kill switch also activates this account's own kill switch at the broker (no orders for the rest of the day) */
  setBrokerKillSwitchLink: BrokerAccount;
  /** Sets (or replaces) today's P&L exit at the broker: past the profit or the loss, the broker exits every position of those products */
  setBrokerPnlExit: BrokerPnlExit;
  /** On: new alerts are rejected (kill_switch) and open orders are cancelled */
  setKillSwitch: Scalars['Boolean']['output'];
  /** Replaces the list of one scope and returns all of them */
  setNotificationPreferences: Array<NotificationPreference>;
  setUserStatus: User;
  /** Stops today's P&L exit at the broker */
  stopBrokerPnlExit: Scalars['Boolean']['output'];
  toggleStrategy: Strategy;
  updateStrategy: Strategy;
  updateStrategyTarget: StrategyTarget;
  /** A wrong or expired code is BAD_USER_INPUT; five wrong codes end the code */
  verifyNotificationChannel: NotificationChannel;
};


export type MutationAddNotificationChannelArgs = {
  input: NotificationChannelInput;
};


export type MutationAddStrategyTargetArgs = {
  input: StrategyTargetInput;
  strategyId: Scalars['ID']['input'];
};


export type MutationApproveExecutionArgs = {
  id: Scalars['ID']['input'];
};


export type MutationChangePasswordArgs = {
  input: ChangePasswordInput;
};


export type MutationCloneStrategyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationClosePositionArgs = {
  mode?: InputMaybe<TradingMode>;
  requestId?: InputMaybe<Scalars['String']['input']>;
  strategyId: Scalars['ID']['input'];
  symbol: Scalars['String']['input'];
};


export type MutationConnectBrokerArgs = {
  input: ConnectBrokerInput;
};


export type MutationCreateApiKeyArgs = {
  input: ApiKeyInput;
};


export type MutationCreateStrategyArgs = {
  input: StrategyInput;
};


export type MutationDeleteStrategyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeployStrategyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDisableBrokerAutoLoginArgs = {
  accountId?: InputMaybe<Scalars['ID']['input']>;
  broker: Scalars['String']['input'];
};


export type MutationDisconnectBrokerArgs = {
  accountId?: InputMaybe<Scalars['ID']['input']>;
  broker: Scalars['String']['input'];
};


export type MutationEnableBrokerAutoLoginArgs = {
  input: BrokerAutoLoginInput;
};


export type MutationLoginArgs = {
  input: LoginInput;
};


export type MutationLogoutArgs = {
  refreshToken?: InputMaybe<Scalars['String']['input']>;
};


export type MutationRefreshTokenArgs = {
  token: Scalars['String']['input'];
};


export type MutationRegisterArgs = {
  input: RegisterInput;
};


export type MutationRejectExecutionArgs = {
  id: Scalars['ID']['input'];
  reason?: InputMaybe<Scalars['String']['input']>;
};


export type MutationRemoveNotificationChannelArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRemoveNotificationPreferencesArgs = {
  strategyId: Scalars['ID']['input'];
};


export type MutationRemoveStrategyTargetArgs = {
  id: Scalars['ID']['input'];
};


export type MutationReplayDeadLetterArgs = {
  id: Scalars['ID']['input'];
};


export type MutationResetBrokerTokenArgs = {
  accountId?: InputMaybe<Scalars['ID']['input']>;
  broker: Scalars['String']['input'];
  userId: Scalars['ID']['input'];
};


export type MutationRevokeApiKeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRevokeSessionArgs = {
  id: Scalars['ID']['input'];
};


export type MutationSendTestAlertArgs = {
  price?: InputMaybe<Scalars['Decimal']['input']>;
  side?: OrderSide;
  strategyId: Scalars['ID']['input'];
};


export type MutationSendTestNotificationArgs = {
  channelId: Scalars['ID']['input'];
};


export type MutationSetBrokerKillSwitchLinkArgs = {
  accountId?: InputMaybe<Scalars['ID']['input']>;
  broker: Scalars['String']['input'];
  enabled: Scalars['Boolean']['input'];
};


export type MutationSetBrokerPnlExitArgs = {
  input: BrokerPnlExitInput;
};


export type MutationSetKillSwitchArgs = {
  enabled: Scalars['Boolean']['input'];
};


export type MutationSetNotificationPreferencesArgs = {
  input: NotificationPreferencesInput;
};


export type MutationSetUserStatusArgs = {
  id: Scalars['ID']['input'];
  status: UserStatus;
};


export type MutationStopBrokerPnlExitArgs = {
  accountId?: InputMaybe<Scalars['ID']['input']>;
  broker: Scalars['String']['input'];
};


export type MutationToggleStrategyArgs = {
  enabled: Scalars['Boolean']['input'];
  id: Scalars['ID']['input'];
};


export type MutationUpdateStrategyArgs = {
  id: Scalars['ID']['input'];
  input: StrategyPatch;
};


export type MutationUpdateStrategyTargetArgs = {
  id: Scalars['ID']['input'];
  input: StrategyTargetPatch;
};


export type MutationVerifyNotificationChannelArgs = {
  code: Scalars['String']['input'];
  id: Scalars['ID']['input'];
};

export type Notification = {
  __typename?: 'Notification';
  attempts: Scalars['Int']['output'];
  /** null once the channel is removed */
  channelId?: Maybe<Scalars['ID']['output']>;
  createdAt: Scalars['DateTimeISO']['output'];
  event: NotificationEvent;
  id: Scalars['ID']['output'];
  lastError?: Maybe<Scalars['String']['output']>;
  sentAt?: Maybe<Scalars['DateTimeISO']['output']>;
  status: NotificationStatus;
  subject: Scalars['String']['output'];
  /** The message as sent (plain text) */
  text: Scalars['String']['output'];
  updatedAt: Scalars['DateTimeISO']['output'];
};

export type NotificationChannel = {
  __typename?: 'NotificationChannel';
  createdAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  kind: NotificationKind;
  /** Telegram chat id or email address */
  target: Scalars['String']['output'];
  updatedAt: Scalars['DateTimeISO']['output'];
  verified: Scalars['Boolean']['output'];
};

export type NotificationChannelInput = {
  kind: NotificationKind;
  /** Telegram chat id (send /start to the bot to see it) or email address */
  target: Scalars['String']['input'];
};

export type NotificationConnection = {
  __typename?: 'NotificationConnection';
  edges: Array<NotificationEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type NotificationEdge = {
  __typename?: 'NotificationEdge';
  cursor: Scalars['String']['output'];
  node: Notification;
};

/** What a notification is about; TEST is the message of sendTestNotification and cannot be chosen as a preference */
export type NotificationEvent =
  | 'ALERT_RECEIVED'
  | 'AWAITING_APPROVAL'
  | 'BROKER_NOT_READY'
  | 'BROKER_SESSION'
  | 'BROKER_TOKEN_EXPIRED'
  | 'DAILY_SUMMARY'
  | 'DEAD_LETTER'
  | 'ERROR'
  | 'KILL_SWITCH'
  | 'ORDER_FILLED'
  | 'ORDER_PLACED'
  | 'ORDER_REJECTED'
  | 'STRATEGY_DISABLED'
  | 'TEST';

export type NotificationKind =
  | 'EMAIL'
  | 'TELEGRAM';

export type NotificationPreference = {
  __typename?: 'NotificationPreference';
  events: Array<NotificationEvent>;
  /** null: the default for all my strategies */
  strategyId?: Maybe<Scalars['ID']['output']>;
};

export type NotificationPreferencesInput = {
  /** Replaces the scope's list; [] turns that scope's notifications off */
  events: Array<NotificationEvent>;
  /** null: all my strategies (the default list); a strategy: its own list, which overrides the default */
  strategyId?: InputMaybe<Scalars['ID']['input']>;
};

export type NotificationStatus =
  | 'FAILED'
  | 'PENDING'
  | 'SENT';

/** What a BUY while short (or SELL while long) does */
export type OppositeSignalPolicy =
  | 'REDUCE_ONLY'
  | 'REVERSE';

export type OrderSide =
  | 'BUY'
  | 'EXIT'
  | 'SELL';

export type OrderType =
  | 'LIMIT'
  | 'MARKET'
  | 'SL'
  /** Stop-loss market (SL-M) */
  | 'SL_M';

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type Position = {
  __typename?: 'Position';
  avgPrice: Scalars['Decimal']['output'];
  charges: Scalars['Decimal']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  /** Price of the last fill */
  lastPrice?: Maybe<Scalars['Decimal']['output']>;
  /** Latest known price of the symbol: the newest alert price or fill price seen by any of the owner's strategies on it; null when flat */
  markPrice?: Maybe<Scalars['Decimal']['output']>;
  /** When markPrice was seen */
  markedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  mode: TradingMode;
  /** Signed: negative is short */
  qty: Scalars['Decimal']['output'];
  /** Net of charges (INR) */
  realizedPnl: Scalars['Decimal']['output'];
  strategyId: Scalars['ID']['output'];
  symbol: Scalars['String']['output'];
  /** At markPrice while the position is open (at the last fill when no newer price is known); 0 when flat */
  unrealizedPnl: Scalars['Decimal']['output'];
  updatedAt: Scalars['DateTimeISO']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** Your API keys that are not revoked */
  apiKeys: Array<ApiKey>;
  /** Your account at this broker as the broker reports it now (profile, funds, holdings, positions); null when you never connected it. A refused token marks the account EXPIRED */
  brokerAccountDetails?: Maybe<BrokerAccountDetails>;
  /** Your broker accounts (admins: all) */
  brokerAccounts: Array<BrokerAccount>;
  /** Today's P&L exit at the broker for your account; null when none is set */
  brokerPnlExit?: Maybe<BrokerPnlExit>;
  /** Pre-open readiness, checked now, of each broker account your enabled LIVE strategies use (admins: everyone's): token past today's session end, static IP, instrument master, trading day */
  brokerReadiness: Array<AccountReadiness>;
  /** Loaded broker plugins and their capabilities */
  brokers: Array<BrokerPluginInfo>;
  deadLetters: Array<DeadLetter>;
  execution?: Maybe<Execution>;
  executions: ExecutionConnection;
  /** Whether the global kill switch is on */
  killSwitch: Scalars['Boolean']['output'];
  me: User;
  notificationChannels: Array<NotificationChannel>;
  /** The default list (strategyId null) first, then per-strategy overrides */
  notificationPreferences: Array<NotificationPreference>;
  /** The delivery log, newest first */
  notifications: NotificationConnection;
  /** Per-strategy positions (average cost); closed ones show qty 0 with their realized P&L */
  positions: Array<Position>;
  /** How the closed round trips of your strategies did (admins: everyone's), filtered by IST days, strategy, symbol and mode */
  report: Report;
  /** The closed round trips a report with this filter counts, newest first (first: 1..200, default 50) */
  roundTrips: RoundTripConnection;
  /** Your logins that are still signed in, most recently used first */
  sessions: Array<Session>;
  strategies: Array<Strategy>;
  strategy?: Maybe<Strategy>;
  /** Today's P&L and the last alert of each of your strategies (admins: all) */
  strategyActivity: Array<StrategyActivity>;
  /** Your trading today (IST) per mode, and alerts per minute over the last hour */
  todaySummary: TodaySummary;
  users: Array<User>;
};


export type QueryBrokerAccountDetailsArgs = {
  accountId?: InputMaybe<Scalars['ID']['input']>;
  broker: Scalars['String']['input'];
};


export type QueryBrokerPnlExitArgs = {
  accountId?: InputMaybe<Scalars['ID']['input']>;
  broker: Scalars['String']['input'];
};


export type QueryExecutionArgs = {
  id: Scalars['ID']['input'];
};


export type QueryExecutionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ExecutionFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryNotificationsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryPositionsArgs = {
  mode?: InputMaybe<TradingMode>;
};


export type QueryReportArgs = {
  filter?: InputMaybe<ReportFilter>;
};


export type QueryRoundTripsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ReportFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryStrategyArgs = {
  id: Scalars['ID']['input'];
};

/** One pre-open check of a broker account */
export type ReadinessItem = {
  __typename?: 'ReadinessItem';
  /** token (valid past today's session end), static_ip (egress IP registered at the broker), instruments (master loaded today) or trading_day */
  check: Scalars['String']['output'];
  message: Scalars['String']['output'];
  /** true passed, false failed, null could not be told (e.g. the broker does not report it) */
  ok?: Maybe<Scalars['Boolean']['output']>;
};

export type RegisterInput = {
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
};

/** How the closed round trips of the caller's strategies did (admins: everyone's). A round trip is one life of a position of a strategy in one symbol and mode, built from its fills in the order the ledger applied them: it opens with the fill that takes the position away from zero and closes with the fill that brings it back to zero, or through zero (a reversal: the closing part ends this trip and the rest of that fill opens the next, taking its quantity share of the fill's charges). Adds and partial closes in between belong to the trip. Its net P&L is the sum of its fills' realized net P&L, the same amounts the executions' pnl adds up (entry and exit charges included), so report, executions and CSV agree to the paisa; since a trip ends flat this is also what first-in-first-out matching of its fills gives. A trip counts on the IST day its closing fill was made; open trips are not counted until they close. Money is INR, net of charges unless named gross. */
export type Report = {
  __typename?: 'Report';
  /** Mean net P&L of the losing trips (negative); null without losses */
  avgLoss?: Maybe<Scalars['Decimal']['output']>;
  /** totalPnl / totalTrades, rounded to the paisa; null without trips */
  avgPnl?: Maybe<Scalars['Decimal']['output']>;
  /** Mean net P&L of the winning trips; null without wins */
  avgWin?: Maybe<Scalars['Decimal']['output']>;
  /** Charges of the trips' fills (brokerage, taxes, exchange and SEBI fees, stamp duty, GST) */
  charges: Scalars['Decimal']['output'];
  /** One entry per IST trading day of the range, oldest first: every Monday to Friday from `from` (default: the first trip's day) to `to` (default and latest: today), zero-P&L days included, plus any other day on which a trip closed */
  daily: Array<DailyPnl>;
  /** Cumulative net P&L after each closed trip, oldest first; above 1,000 trips, one point per IST day: the equity after its last trip, and the drawdown from the highest such day-end equity so far (the deepest fall within a day shows in maxDrawdown) */
  equityCurve: Array<EquityPoint>;
  /** Expected net P&L per trip: winRate x avgWin + (1 - winRate) x avgLoss over the unrounded figures, which is totalPnl / totalTrades; null without trips */
  expectancy?: Maybe<Scalars['Decimal']['output']>;
  /** The trips grouped by symbol, largest turnover first */
  exposure: Array<SymbolExposure>;
  /** totalPnl + charges: P&L before charges */
  grossPnl: Scalars['Decimal']['output'];
  /** Net P&L of the worst losing trip (negative); null without losses */
  largestLoss?: Maybe<Scalars['Decimal']['output']>;
  /** Net P&L of the best winning trip; null without wins */
  largestWin?: Maybe<Scalars['Decimal']['output']>;
  /** Most losing trips in a row (time order) */
  longestLosingStreak: Scalars['Int']['output'];
  /** Trips with net P&L below zero (a trip at exactly zero is neither) */
  losses: Scalars['Int']['output'];
  /** The largest fall, as a positive amount, of the cumulative net P&L taken after each closed trip in time order, starting from 0 (0 when it never fell) */
  maxDrawdown: Scalars['Decimal']['output'];
  /** Sum of winning trips / |sum of losing trips|, rounded to 4 places; null unless there are both winning and losing trips (no loss: nothing to divide by; all losses: no profit to weigh) */
  profitFactor?: Maybe<Scalars['Float']['output']>;
  /** Sharpe ratio of the daily series below: mean(daily pnl) / sample standard deviation(daily pnl) x sqrt(252), over absolute INR (no capital base, no risk-free rate), rounded to 4 places; null with fewer than two days or no variation */
  sharpe?: Maybe<Scalars['Float']['output']>;
  /** Sum of the trips' net P&L */
  totalPnl: Scalars['Decimal']['output'];
  /** Closed round trips */
  totalTrades: Scalars['Int']['output'];
  /** wins / totalTrades, a fraction 0..1 rounded to 4 places; null without trips */
  winRate?: Maybe<Scalars['Float']['output']>;
  /** Trips with net P&L above zero */
  wins: Scalars['Int']['output'];
};

/** Which closed round trips a report covers. Dates are IST calendar days, inclusive. */
export type ReportFilter = {
  /** A broker account (brokerAccounts): only the LIVE trades on it, of every strategy and fan-out target. A fan-out target is also a strategyId of its own (Strategy.targets) */
  accountId?: InputMaybe<Scalars['ID']['input']>;
  /** YYYY-MM-DD, IST, inclusive: trips closed on or after this day */
  from?: InputMaybe<Scalars['String']['input']>;
  mode?: InputMaybe<TradingMode>;
  strategyId?: InputMaybe<Scalars['ID']['input']>;
  symbol?: InputMaybe<Scalars['String']['input']>;
  /** YYYY-MM-DD, IST, inclusive: trips closed on or before this day */
  to?: InputMaybe<Scalars['String']['input']>;
};

export type Role =
  | 'ADMIN'
  | 'USER';

/** One closed round trip (see Report): a position from flat, or from a reversal, back to flat or through it */
export type RoundTrip = {
  __typename?: 'RoundTrip';
  /** Charges of the trip's fills (INR) */
  charges: Scalars['Decimal']['output'];
  /** The closing fill's time; the trip counts on this IST day */
  closedAt: Scalars['DateTimeISO']['output'];
  /** Average entry price */
  entryPrice: Scalars['Decimal']['output'];
  /** Average exit price */
  exitPrice: Scalars['Decimal']['output'];
  /** Fills of the trip */
  fills: Scalars['Int']['output'];
  /** P&L before charges (INR) */
  grossPnl: Scalars['Decimal']['output'];
  id: Scalars['ID']['output'];
  /** Largest absolute position during the trip */
  maxQty: Scalars['Decimal']['output'];
  mode: TradingMode;
  /** grossPnl - charges (INR) */
  netPnl: Scalars['Decimal']['output'];
  openedAt: Scalars['DateTimeISO']['output'];
  /** Quantity bought (LONG) or sold (SHORT) to build the position, adds included */
  qty: Scalars['Decimal']['output'];
  /** LONG or SHORT */
  side: Scalars['String']['output'];
  strategyId: Scalars['ID']['output'];
  symbol: Scalars['String']['output'];
};

/** Closed round trips, newest first (the report's totalTrades counts them) */
export type RoundTripConnection = {
  __typename?: 'RoundTripConnection';
  edges: Array<RoundTripEdge>;
  pageInfo: PageInfo;
};

export type RoundTripEdge = {
  __typename?: 'RoundTripEdge';
  cursor: Scalars['String']['output'];
  node: RoundTrip;
};

/** A signed-in login (one refresh-token family): a browser or device that stays signed in until it signs out, is revoked or expires */
export type Session = {
  __typename?: 'Session';
  /** The login this request was made with */
  current: Scalars['Boolean']['output'];
  /** When it ends unless renewed */
  expiresAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  /** When it last renewed its access token */
  lastActiveAt: Scalars['DateTimeISO']['output'];
  /** When the login was made */
  startedAt: Scalars['DateTimeISO']['output'];
};

/** How an entry's quantity is decided; every result is rounded down to whole lots (or shares) and capped by maxQtyPerOrder and maxOpenPosition */
export type SizingMode =
  /** The alert's qty, else the strategy's qty (the default) */
  | 'ALERT'
  /** Always the strategy's qty; the alert's qty is ignored */
  | 'FIXED'
  /** The alert's qty (else the strategy's) times sizingValue; TradingView's position_size is scaled the same way */
  | 'MULTIPLIER'
  /** sizingValue percent of the account's available funds (paper capital or broker funds), at the alert's price */
  | 'PERCENT_OF_CAPITAL'
  /** sizingValue INR lost if the alert's stop_loss is hit: qty = risk / distance from the alert's price to the stop */
  | 'RISK_PER_TRADE';

export type Strategy = {
  __typename?: 'Strategy';
  /** PAPER: an alert outside its segment's session is queued and placed at the next open (otherwise refused as market_closed) */
  afterMarketOrders: Scalars['Boolean']['output'];
  /** Alerts accepted per minute before 429 */
  alertsPerMinute: Scalars['Int']['output'];
  allowedSides: AllowedSides;
  /** Other symbols its alerts may name (a deliberately multi-symbol strategy; each trades as its own position). Empty: alerts for any symbol but `symbol` are refused (422 symbol_mismatch) */
  allowedSymbols: Array<Scalars['String']['output']>;
  /** Minutes an execution may await approval before it is rejected as approval_expired */
  approvalTimeoutMinutes: Scalars['Int']['output'];
  /** Broker plugin used in LIVE mode (the user must have connected it) */
  broker: Scalars['String']['output'];
  /** LIVE: the broker account (brokerAccounts) this strategy trades on; null = your default (first) account at its broker */
  brokerAccountId?: Maybe<Scalars['ID']['output']>;
  /** Minutes after a losing round trip during which entries are refused (422 cooldown); null: off */
  cooldownMinutes?: Maybe<Scalars['Int']['output']>;
  createdAt: Scalars['DateTimeISO']['output'];
  deployedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  /** The webhook and alert message to show again, secret masked; null when not deployed */
  deployment?: Maybe<DeploymentPreview>;
  /** Why the platform disabled the strategy (e.g. daily loss limit) */
  disabledReason?: Maybe<Scalars['String']['output']>;
  enabled: Scalars['Boolean']['output'];
  /** Exchange segment: NSE_EQ, NSE_FNO, BSE_EQ, BSE_FNO, MCX_COMM, NSE_CURRENCY, BSE_CURRENCY */
  exchangeSegment: Scalars['String']['output'];
  /** Exits every entry gets (issue 18), each overridable by the alert's stop_loss, take_profit, trailing_stop, breakeven_at, exit_after; null: none */
  exitDefaults?: Maybe<ExitSettings>;
  id: Scalars['ID']['output'];
  /** Broker security id that overrides symbol resolution */
  instrumentOverride?: Maybe<Scalars['String']['output']>;
  /** INR; reaching it disables the strategy */
  maxDailyLoss?: Maybe<Scalars['Decimal']['output']>;
  maxOpenPosition?: Maybe<Scalars['Decimal']['output']>;
  maxQtyPerOrder?: Maybe<Scalars['Decimal']['output']>;
  /** Alerts whose `time` is older than this many seconds are refused (422 stale_signal); null: never. Alerts without `time` pass */
  maxSignalAgeSeconds?: Maybe<Scalars['Int']['output']>;
  /** Entries allowed per IST day, counted as the round trips opened that day (422 max_trades_per_day); null: no limit */
  maxTradesPerDay?: Maybe<Scalars['Int']['output']>;
  mode: TradingMode;
  name: Scalars['String']['output'];
  oppositeSignalPolicy: OppositeSignalPolicy;
  /** The strategy this one is a fan-out target of (it trades that strategy's alerts); null otherwise */
  parentStrategyId?: Maybe<Scalars['ID']['output']>;
  /** INTRADAY, CNC or MARGIN */
  productType: Scalars['String']['output'];
  /** Default order quantity. Whole shares for equity (NSE_EQ, BSE_EQ); whole lots for F&O, MCX and currency */
  qty: Scalars['Decimal']['output'];
  /** Accepted alerts wait as AWAITING_APPROVAL until the owner approves (re-checked: kill switch, strategy enabled, entry rules, signal age) or rejects them */
  requireApproval: Scalars['Boolean']['output'];
  sizingMode: SizingMode;
  /** PERCENT_OF_CAPITAL: the percent; RISK_PER_TRADE: the INR risked per trade; MULTIPLIER: the factor */
  sizingValue?: Maybe<Scalars['Decimal']['output']>;
  /** TradingView ticker, e.g. RELIANCE or NATURALGAS */
  symbol: Scalars['String']['output'];
  /** When prev_market_position says TradingView's position before the order differed from ours (a missed or out-of-order alert), trade to TradingView's position (market_position x position_size) instead of netting the alert into ours. The mismatch is flagged and notified either way */
  syncToTradingView: Scalars['Boolean']['output'];
  /** The other accounts its alerts are traded on (one execution per account and alert) */
  targets: Array<StrategyTarget>;
  timeframe: Scalars['String']['output'];
  /** IST HH:MM; entries after it are rejected */
  tradingWindowEnd?: Maybe<Scalars['String']['output']>;
  /** IST HH:MM; entries before it are rejected */
  tradingWindowStart?: Maybe<Scalars['String']['output']>;
  updatedAt: Scalars['DateTimeISO']['output'];
  userId: Scalars['ID']['output'];
};

/** What a strategy did lately */
export type StrategyActivity = {
  __typename?: 'StrategyActivity';
  /** When its last TradingView alert arrived (test alerts and platform exits not counted) */
  lastSignalAt?: Maybe<Scalars['DateTimeISO']['output']>;
  strategyId: Scalars['ID']['output'];
  /** Executions created today (IST) */
  todayExecutions: Scalars['Int']['output'];
  /** Sum of the P&L of today's executions (IST day), net of charges, INR */
  todayPnl: Scalars['Decimal']['output'];
};

export type StrategyInput = {
  /** PAPER: queue alerts that arrive outside the session and place them at the next open */
  afterMarketOrders?: InputMaybe<Scalars['Boolean']['input']>;
  alertsPerMinute?: InputMaybe<Scalars['Int']['input']>;
  allowedSides?: InputMaybe<AllowedSides>;
  /** Other symbols alerts may name, for a deliberately multi-symbol strategy (each trades as its own position); [] makes it single-symbol again */
  allowedSymbols?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Minutes before an unanswered approval is rejected (approval_expired); default 5 */
  approvalTimeoutMinutes?: InputMaybe<Scalars['Int']['input']>;
  /** Broker plugin for LIVE mode (default: the broker of brokerAccountId, else the first live broker plugin configured; the `brokers` query lists them) */
  broker?: InputMaybe<Scalars['String']['input']>;
  /** LIVE: one of your accounts (brokerAccounts) when you have several at the broker, which is then its broker; null = your default account */
  brokerAccountId?: InputMaybe<Scalars['ID']['input']>;
  /** Minutes without entries after a losing round trip (422 cooldown); null: off */
  cooldownMinutes?: InputMaybe<Scalars['Int']['input']>;
  exchangeSegment?: InputMaybe<Scalars['String']['input']>;
  /** Default exits of every entry (null: none); the alert's own exit fields override them */
  exitDefaults?: InputMaybe<ExitSettingsInput>;
  instrumentOverride?: InputMaybe<Scalars['String']['input']>;
  /** INR */
  maxDailyLoss?: InputMaybe<Scalars['Decimal']['input']>;
  maxOpenPosition?: InputMaybe<Scalars['Decimal']['input']>;
  maxQtyPerOrder?: InputMaybe<Scalars['Decimal']['input']>;
  /** Alerts whose `time` is older are refused (422 stale_signal); null: never (default 60) */
  maxSignalAgeSeconds?: InputMaybe<Scalars['Int']['input']>;
  /** Round trips that may open per IST day (422 max_trades_per_day); null: no limit */
  maxTradesPerDay?: InputMaybe<Scalars['Int']['input']>;
  mode: TradingMode;
  name: Scalars['String']['input'];
  oppositeSignalPolicy?: InputMaybe<OppositeSignalPolicy>;
  productType?: InputMaybe<Scalars['String']['input']>;
  /** Default order quantity. Whole shares for equity (NSE_EQ, BSE_EQ); whole lots for F&O, MCX and currency */
  qty: Scalars['Decimal']['input'];
  /** Accepted alerts wait for approveExecution / rejectExecution */
  requireApproval?: InputMaybe<Scalars['Boolean']['input']>;
  sizingMode?: InputMaybe<SizingMode>;
  /** The percent, the INR risk or the multiplier of sizingMode */
  sizingValue?: InputMaybe<Scalars['Decimal']['input']>;
  /** TradingView ticker, e.g. RELIANCE, NATURALGAS, NIFTY-Jun2026-FUT. Alerts naming another symbol are refused (422 symbol_mismatch) unless it is in allowedSymbols; exchange prefixes (NSE:) and continuous-contract suffixes (1!) still match */
  symbol: Scalars['String']['input'];
  /** On a position mismatch (prev_market_position), trade to TradingView's position */
  syncToTradingView?: InputMaybe<Scalars['Boolean']['input']>;
  timeframe: Scalars['String']['input'];
  /** IST HH:MM */
  tradingWindowEnd?: InputMaybe<Scalars['String']['input']>;
  /** IST HH:MM */
  tradingWindowStart?: InputMaybe<Scalars['String']['input']>;
};

export type StrategyPatch = {
  /** PAPER: queue alerts that arrive outside the session and place them at the next open */
  afterMarketOrders?: InputMaybe<Scalars['Boolean']['input']>;
  alertsPerMinute?: InputMaybe<Scalars['Int']['input']>;
  allowedSides?: InputMaybe<AllowedSides>;
  /** Other symbols alerts may name, for a deliberately multi-symbol strategy (each trades as its own position); [] makes it single-symbol again */
  allowedSymbols?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Minutes before an unanswered approval is rejected (approval_expired); default 5 */
  approvalTimeoutMinutes?: InputMaybe<Scalars['Int']['input']>;
  /** Broker plugin for LIVE mode (default: the broker of brokerAccountId, else the first live broker plugin configured; the `brokers` query lists them) */
  broker?: InputMaybe<Scalars['String']['input']>;
  /** LIVE: one of your accounts (brokerAccounts) when you have several at the broker, which is then its broker; null = your default account */
  brokerAccountId?: InputMaybe<Scalars['ID']['input']>;
  /** Minutes without entries after a losing round trip (422 cooldown); null: off */
  cooldownMinutes?: InputMaybe<Scalars['Int']['input']>;
  exchangeSegment?: InputMaybe<Scalars['String']['input']>;
  /** Default exits of every entry (null: none); the alert's own exit fields override them */
  exitDefaults?: InputMaybe<ExitSettingsInput>;
  instrumentOverride?: InputMaybe<Scalars['String']['input']>;
  /** INR */
  maxDailyLoss?: InputMaybe<Scalars['Decimal']['input']>;
  maxOpenPosition?: InputMaybe<Scalars['Decimal']['input']>;
  maxQtyPerOrder?: InputMaybe<Scalars['Decimal']['input']>;
  /** Alerts whose `time` is older are refused (422 stale_signal); null: never (default 60) */
  maxSignalAgeSeconds?: InputMaybe<Scalars['Int']['input']>;
  /** Round trips that may open per IST day (422 max_trades_per_day); null: no limit */
  maxTradesPerDay?: InputMaybe<Scalars['Int']['input']>;
  mode?: InputMaybe<TradingMode>;
  name?: InputMaybe<Scalars['String']['input']>;
  oppositeSignalPolicy?: InputMaybe<OppositeSignalPolicy>;
  productType?: InputMaybe<Scalars['String']['input']>;
  /** Default order quantity. Whole shares for equity (NSE_EQ, BSE_EQ); whole lots for F&O, MCX and currency */
  qty?: InputMaybe<Scalars['Decimal']['input']>;
  /** Accepted alerts wait for approveExecution / rejectExecution */
  requireApproval?: InputMaybe<Scalars['Boolean']['input']>;
  sizingMode?: InputMaybe<SizingMode>;
  /** The percent, the INR risk or the multiplier of sizingMode */
  sizingValue?: InputMaybe<Scalars['Decimal']['input']>;
  symbol?: InputMaybe<Scalars['String']['input']>;
  /** On a position mismatch (prev_market_position), trade to TradingView's position */
  syncToTradingView?: InputMaybe<Scalars['Boolean']['input']>;
  timeframe?: InputMaybe<Scalars['String']['input']>;
  /** IST HH:MM */
  tradingWindowEnd?: InputMaybe<Scalars['String']['input']>;
  /** IST HH:MM */
  tradingWindowStart?: InputMaybe<Scalars['String']['input']>;
};

/** One more account a strategy's alerts are traded on (one strategy, many accounts): each alert makes one execution per account, each with its own position, P&L and limits */
export type StrategyTarget = {
  __typename?: 'StrategyTarget';
  /** The broker account's status now (CONNECTED, ...); null for paper */
  accountStatus?: Maybe<Scalars['String']['output']>;
  broker: Scalars['String']['output'];
  /** The broker account (LIVE); null for paper */
  brokerAccountId?: Maybe<Scalars['ID']['output']>;
  disabledReason?: Maybe<Scalars['String']['output']>;
  enabled: Scalars['Boolean']['output'];
  /** The target's own strategy id (its positions, executions and reports use it) */
  id: Scalars['ID']['output'];
  /** INR; reaching it disables this target only */
  maxDailyLoss?: Maybe<Scalars['Decimal']['output']>;
  maxOpenPosition?: Maybe<Scalars['Decimal']['output']>;
  maxQtyPerOrder?: Maybe<Scalars['Decimal']['output']>;
  /** PAPER: a shadow on the target's own paper account; LIVE: a broker account */
  mode: TradingMode;
  /** Quantity factor: the alert (or strategy) quantity x this, rounded down to whole lots or shares; 0 skips */
  multiplier: Scalars['Decimal']['output'];
  name: Scalars['String']['output'];
  strategyId: Scalars['ID']['output'];
};

export type StrategyTargetInput = {
  /** One of your connected broker accounts (brokerAccounts); omit for a paper shadow */
  brokerAccountId?: InputMaybe<Scalars['ID']['input']>;
  /** INR */
  maxDailyLoss?: InputMaybe<Scalars['Decimal']['input']>;
  maxOpenPosition?: InputMaybe<Scalars['Decimal']['input']>;
  maxQtyPerOrder?: InputMaybe<Scalars['Decimal']['input']>;
  /** Default 1; 0 pauses the target (no execution) */
  multiplier?: InputMaybe<Scalars['Decimal']['input']>;
};

export type StrategyTargetPatch = {
  /** Move a LIVE target to another of your broker accounts (only while it is flat with nothing working) */
  brokerAccountId?: InputMaybe<Scalars['ID']['input']>;
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  /** INR */
  maxDailyLoss?: InputMaybe<Scalars['Decimal']['input']>;
  maxOpenPosition?: InputMaybe<Scalars['Decimal']['input']>;
  maxQtyPerOrder?: InputMaybe<Scalars['Decimal']['input']>;
  /** Default 1; 0 pauses the target (no execution) */
  multiplier?: InputMaybe<Scalars['Decimal']['input']>;
};

export type Subscription = {
  __typename?: 'Subscription';
  executionEvents: ExecutionEvent;
};


export type SubscriptionExecutionEventsArgs = {
  strategyId?: InputMaybe<Scalars['ID']['input']>;
};

/** Round trips of one symbol in the report */
export type SymbolExposure = {
  __typename?: 'SymbolExposure';
  /** Largest absolute position held during one of those trips */
  maxQty: Scalars['Decimal']['output'];
  /** Net P&L of those trips (INR) */
  netPnl: Scalars['Decimal']['output'];
  symbol: Scalars['String']['output'];
  trades: Scalars['Int']['output'];
  /** Value traded in and out: sum of quantity x price of the trips' fills (INR) */
  turnover: Scalars['Decimal']['output'];
};

/** What the webhook answered a test alert (sendTestAlert) */
export type TestAlertResult = {
  __typename?: 'TestAlertResult';
  /** The alert that was sent, as TradingView would post it (secret masked) */
  alert: Scalars['JSON']['output'];
  /** The execution it created (outcome sent, accepted or rejected) */
  executionId?: Maybe<Scalars['ID']['output']>;
  /** The webhook's HTTP status: 202 accepted, 422 rejected, 400 invalid, 429 rate limited, 401 not deployed */
  httpStatus: Scalars['Int']['output'];
  /** The answer in words */
  message: Scalars['String']['output'];
  /** sent: it went through the webhook's intake like a TradingView alert (PAPER); dry_run: a LIVE strategy's alert was only checked, nothing was recorded or ordered; not_deployed: the strategy has no webhook secret yet */
  outcome: Scalars['String']['output'];
  /** The webhook's JSON answer */
  response: Scalars['JSON']['output'];
  /** One strategy, many accounts: each fan-out target's answer, as TradingView's alert would be fanned out (empty without targets, or when the strategy's own alert was not taken: not deployed, invalid, rate limited) */
  targets: Array<TestAlertTargetResult>;
};

/** What one fan-out target (another account of the strategy) made of a test alert: a PAPER target's is sent and recorded like the strategy's own on paper; a LIVE target's is a dry run, checked and answered, never recorded or ordered */
export type TestAlertTargetResult = {
  __typename?: 'TestAlertTargetResult';
  broker: Scalars['String']['output'];
  /** The execution it created (outcome sent) */
  executionId?: Maybe<Scalars['ID']['output']>;
  /** What the webhook would answer for this account alone: 202 accepted, 200 duplicate, 422 rejected */
  httpStatus?: Maybe<Scalars['Int']['output']>;
  /** The answer in words */
  message: Scalars['String']['output'];
  mode: TradingMode;
  name: Scalars['String']['output'];
  /** sent: recorded through the intake (PAPER target); dry_run: only checked (LIVE target); skipped: the multiplier is 0; error: it failed on this account alone */
  outcome: Scalars['String']['output'];
  /** This account's entry of the webhook's answer (status, reason, message, alert_id) */
  response: Scalars['JSON']['output'];
  /** The target's own strategy id */
  strategyId: Scalars['ID']['output'];
};

/** Your trading today at a glance (your own strategies, also for admins) */
export type TodaySummary = {
  __typename?: 'TodaySummary';
  /** Alerts per minute over the last 60 minutes, oldest first, every minute present */
  alertsPerMinute: Array<MinuteCount>;
  /** Today in IST, YYYY-MM-DD */
  date: Scalars['String']['output'];
  /** PAPER and LIVE, always both */
  modes: Array<ModeToday>;
};

export type TradingMode =
  | 'LIVE'
  | 'PAPER';

export type User = {
  __typename?: 'User';
  createdAt: Scalars['DateTimeISO']['output'];
  email: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  role: Role;
  status: UserStatus;
  updatedAt: Scalars['DateTimeISO']['output'];
};

export type UserStatus =
  | 'ACTIVE'
  | 'DISABLED';
