export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  Decimal: { input: string; output: string; }
};

export type AuthPayload = {
  __typename?: 'AuthPayload';
  accessToken: Scalars['String']['output'];
  refreshToken: Scalars['String']['output'];
  user: User;
};

export type LoginInput = {
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
};

export type Mutation = {
  __typename?: 'Mutation';
  createStrategy: Strategy;
  login: AuthPayload;
  logout: Scalars['Boolean']['output'];
  refreshToken: AuthPayload;
  register: AuthPayload;
};


export type MutationCreateStrategyArgs = {
  input: StrategyInput;
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

export type Query = {
  __typename?: 'Query';
  me: User;
  strategies: Array<Strategy>;
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
  enabled: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
  mode: TradingMode;
  name: Scalars['String']['output'];
  qty: Scalars['Decimal']['output'];
  symbol: Scalars['String']['output'];
  timeframe: Scalars['String']['output'];
};

export type StrategyInput = {
  exchangeSegment?: InputMaybe<Scalars['String']['input']>;
  mode: TradingMode;
  name: Scalars['String']['input'];
  productType?: InputMaybe<Scalars['String']['input']>;
  qty: Scalars['Decimal']['input'];
  symbol: Scalars['String']['input'];
  timeframe: Scalars['String']['input'];
};

export type TradingMode =
  | 'LIVE'
  | 'PAPER';

export type User = {
  __typename?: 'User';
  email: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  role: Role;
  status: UserStatus;
};

export type UserStatus =
  | 'ACTIVE'
  | 'DISABLED';
