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

export type AllowedSides =
  | 'BOTH'
  | 'LONG_ONLY'
  | 'SHORT_ONLY';

export type AuthPayload = {
  __typename?: 'AuthPayload';
  accessToken: Scalars['String']['output'];
  refreshToken: Scalars['String']['output'];
  user: User;
};

/** What a broker plugin can do (one flag per client method) */
export type BrokerCapabilities = {
  __typename?: 'BrokerCapabilities';
  cancelOrder: Scalars['Boolean']['output'];
  funds: Scalars['Boolean']['output'];
  getOrder: Scalars['Boolean']['output'];
  holdings: Scalars['Boolean']['output'];
  listOrders: Scalars['Boolean']['output'];
  modifyOrder: Scalars['Boolean']['output'];
  /** stream | webhook | poll | none */
  orderUpdates: Scalars['String']['output'];
  placeOrder: Scalars['Boolean']['output'];
  positions: Scalars['Boolean']['output'];
  profile: Scalars['Boolean']['output'];
  searchInstruments: Scalars['Boolean']['output'];
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
  | 'ERROR'
  | 'ORDER_CANCELLED'
  | 'ORDER_FILLED'
  | 'ORDER_PLACED'
  | 'ORDER_REJECTED';

export type LoginInput = {
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
};

export type Mutation = {
  __typename?: 'Mutation';
  cloneStrategy: Strategy;
  createStrategy: Strategy;
  deleteStrategy: Scalars['Boolean']['output'];
  login: AuthPayload;
  /** Revokes the given refresh token’s login, or every login of the user when omitted */
  logout: Scalars['Boolean']['output'];
  /** Rotates: the old refresh token stops working; reusing it revokes the login */
  refreshToken: AuthPayload;
  register: AuthPayload;
  setUserStatus: User;
  toggleStrategy: Strategy;
  updateStrategy: Strategy;
};


export type MutationCloneStrategyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCreateStrategyArgs = {
  input: StrategyInput;
};


export type MutationDeleteStrategyArgs = {
  id: Scalars['ID']['input'];
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


export type MutationSetUserStatusArgs = {
  id: Scalars['ID']['input'];
  status: UserStatus;
};


export type MutationToggleStrategyArgs = {
  enabled: Scalars['Boolean']['input'];
  id: Scalars['ID']['input'];
};


export type MutationUpdateStrategyArgs = {
  id: Scalars['ID']['input'];
  input: StrategyPatch;
};

/** What a BUY while short (or SELL while long) does */
export type OppositeSignalPolicy =
  | 'REDUCE_ONLY'
  | 'REVERSE';

export type Query = {
  __typename?: 'Query';
  /** Loaded broker plugins and their capabilities */
  brokers: Array<BrokerPluginInfo>;
  me: User;
  strategies: Array<Strategy>;
  strategy?: Maybe<Strategy>;
  users: Array<User>;
};


export type QueryStrategyArgs = {
  id: Scalars['ID']['input'];
};

export type RegisterInput = {
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
};

export type Role =
  | 'ADMIN'
  | 'USER';

export type Strategy = {
  __typename?: 'Strategy';
  /** Alerts accepted per minute before 429 */
  alertsPerMinute: Scalars['Float']['output'];
  allowedSides: AllowedSides;
  createdAt: Scalars['DateTimeISO']['output'];
  deployedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  /** Why the platform disabled the strategy (e.g. daily loss limit) */
  disabledReason?: Maybe<Scalars['String']['output']>;
  enabled: Scalars['Boolean']['output'];
  /** Dhan exchange segment: NSE_EQ, NSE_FNO, BSE_EQ, BSE_FNO, MCX_COMM, ... */
  exchangeSegment: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** Broker security id that overrides symbol resolution */
  instrumentOverride?: Maybe<Scalars['String']['output']>;
  /** INR; reaching it disables the strategy */
  maxDailyLoss?: Maybe<Scalars['Decimal']['output']>;
  maxOpenPosition?: Maybe<Scalars['Decimal']['output']>;
  maxQtyPerOrder?: Maybe<Scalars['Decimal']['output']>;
  mode: TradingMode;
  name: Scalars['String']['output'];
  oppositeSignalPolicy: OppositeSignalPolicy;
  /** INTRADAY, CNC or MARGIN */
  productType: Scalars['String']['output'];
  /** Default order quantity (lots for derivatives, shares for equity) */
  qty: Scalars['Decimal']['output'];
  /** TradingView ticker, e.g. RELIANCE or NATURALGAS */
  symbol: Scalars['String']['output'];
  timeframe: Scalars['String']['output'];
  /** IST HH:MM; entries after it are rejected */
  tradingWindowEnd?: Maybe<Scalars['String']['output']>;
  /** IST HH:MM; entries before it are rejected */
  tradingWindowStart?: Maybe<Scalars['String']['output']>;
  updatedAt: Scalars['DateTimeISO']['output'];
  userId: Scalars['ID']['output'];
};

export type StrategyInput = {
  alertsPerMinute?: InputMaybe<Scalars['Int']['input']>;
  allowedSides?: InputMaybe<AllowedSides>;
  exchangeSegment?: InputMaybe<Scalars['String']['input']>;
  instrumentOverride?: InputMaybe<Scalars['String']['input']>;
  /** INR */
  maxDailyLoss?: InputMaybe<Scalars['Decimal']['input']>;
  maxOpenPosition?: InputMaybe<Scalars['Decimal']['input']>;
  maxQtyPerOrder?: InputMaybe<Scalars['Decimal']['input']>;
  mode: TradingMode;
  name: Scalars['String']['input'];
  oppositeSignalPolicy?: InputMaybe<OppositeSignalPolicy>;
  productType?: InputMaybe<Scalars['String']['input']>;
  qty: Scalars['Decimal']['input'];
  /** TradingView ticker, e.g. RELIANCE, NATURALGAS, NIFTY-Jun2026-FUT */
  symbol: Scalars['String']['input'];
  timeframe: Scalars['String']['input'];
  /** IST HH:MM */
  tradingWindowEnd?: InputMaybe<Scalars['String']['input']>;
  /** IST HH:MM */
  tradingWindowStart?: InputMaybe<Scalars['String']['input']>;
};

export type StrategyPatch = {
  alertsPerMinute?: InputMaybe<Scalars['Int']['input']>;
  allowedSides?: InputMaybe<AllowedSides>;
  exchangeSegment?: InputMaybe<Scalars['String']['input']>;
  instrumentOverride?: InputMaybe<Scalars['String']['input']>;
  /** INR */
  maxDailyLoss?: InputMaybe<Scalars['Decimal']['input']>;
  maxOpenPosition?: InputMaybe<Scalars['Decimal']['input']>;
  maxQtyPerOrder?: InputMaybe<Scalars['Decimal']['input']>;
  mode?: InputMaybe<TradingMode>;
  name?: InputMaybe<Scalars['String']['input']>;
  oppositeSignalPolicy?: InputMaybe<OppositeSignalPolicy>;
  productType?: InputMaybe<Scalars['String']['input']>;
  qty?: InputMaybe<Scalars['Decimal']['input']>;
  symbol?: InputMaybe<Scalars['String']['input']>;
  timeframe?: InputMaybe<Scalars['String']['input']>;
  /** IST HH:MM */
  tradingWindowEnd?: InputMaybe<Scalars['String']['input']>;
  /** IST HH:MM */
  tradingWindowStart?: InputMaybe<Scalars['String']['input']>;
};

export type Subscription = {
  __typename?: 'Subscription';
  executionEvents: ExecutionEvent;
};


export type SubscriptionExecutionEventsArgs = {
  strategyId?: InputMaybe<Scalars['ID']['input']>;
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
