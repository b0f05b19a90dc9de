import { registerEnumType } from 'type-graphql';

// GraphQL-visible enums live here so entities and resolvers agree on one definition.
export enum Role {
  ADMIN = 'ADMIN',
  USER = 'USER',
}
export enum UserStatus {
  ACTIVE = 'ACTIVE',
  DISABLED = 'DISABLED',
}
export enum TradingMode {
  PAPER = 'PAPER',
  LIVE = 'LIVE',
}
export enum AllowedSides {
  BOTH = 'BOTH',
  LONG_ONLY = 'LONG_ONLY',
  SHORT_ONLY = 'SHORT_ONLY',
}
export enum OppositeSignalPolicy {
  REVERSE = 'REVERSE',
  REDUCE_ONLY = 'REDUCE_ONLY',
}
export enum OrderSide {
  BUY = 'BUY',
  SELL = 'SELL',
  EXIT = 'EXIT',
}
export enum OrderType {
  MARKET = 'MARKET',
  LIMIT = 'LIMIT',
  SL = 'SL',
  SL_M = 'SL-M',
}
export enum ExecutionStatus {
  /** A strategy with requireApproval: waits for its owner's approveExecution / rejectExecution (or expires) */
  AWAITING_APPROVAL = 'AWAITING_APPROVAL',
  PENDING = 'PENDING',
  PLACED = 'PLACED',
  PARTIALLY_FILLED = 'PARTIALLY_FILLED',
  FILLED = 'FILLED',
  REJECTED = 'REJECTED',
  CANCELLED = 'CANCELLED',
  FAILED = 'FAILED',
}
export enum ExecutionEventType {
  ALERT_RECEIVED = 'ALERT_RECEIVED',
  ORDER_PLACED = 'ORDER_PLACED',
  ORDER_FILLED = 'ORDER_FILLED',
  ORDER_REJECTED = 'ORDER_REJECTED',
  ORDER_CANCELLED = 'ORDER_CANCELLED',
  ERROR = 'ERROR',
  AWAITING_APPROVAL = 'AWAITING_APPROVAL',
  APPROVED = 'APPROVED',
  /** An exit plan was made, moved its stop, sent its exit or ended (exits/exit-plan.service.ts) */
  EXIT_PLAN = 'EXIT_PLAN',
}
export enum AlertStatus {
  RECEIVED = 'RECEIVED',
  PROCESSING = 'PROCESSING',
  PROCESSED = 'PROCESSED',
  REJECTED = 'REJECTED',
  FAILED = 'FAILED',
}
export enum BrokerAccountStatus {
  CONNECTED = 'CONNECTED',
  EXPIRED = 'EXPIRED',
  DISCONNECTED = 'DISCONNECTED',
}
export enum NotificationKind {
  TELEGRAM = 'TELEGRAM',
  EMAIL = 'EMAIL',
}
export enum NotificationStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  FAILED = 'FAILED',
}
export enum ApiKeyScope {
  READ = 'READ',
  TRADE = 'TRADE',
}
export enum NotificationEvent {
  ALERT_RECEIVED = 'ALERT_RECEIVED',
  ORDER_PLACED = 'ORDER_PLACED',
  ORDER_FILLED = 'ORDER_FILLED',
  ORDER_REJECTED = 'ORDER_REJECTED',
  ERROR = 'ERROR',
  DEAD_LETTER = 'DEAD_LETTER',
  BROKER_TOKEN_EXPIRED = 'BROKER_TOKEN_EXPIRED',
  STRATEGY_DISABLED = 'STRATEGY_DISABLED',
  KILL_SWITCH = 'KILL_SWITCH',
  DAILY_SUMMARY = 'DAILY_SUMMARY',
  TEST = 'TEST',
  AWAITING_APPROVAL = 'AWAITING_APPROVAL',
  BROKER_SESSION = 'BROKER_SESSION',
  BROKER_NOT_READY = 'BROKER_NOT_READY',
}

registerEnumType(Role, { name: 'Role' });
registerEnumType(UserStatus, { name: 'UserStatus' });
registerEnumType(TradingMode, { name: 'TradingMode' });
registerEnumType(AllowedSides, { name: 'AllowedSides' });
registerEnumType(OppositeSignalPolicy, {
  name: 'OppositeSignalPolicy',
  description: 'What a BUY while short (or SELL while long) does',
});
registerEnumType(OrderSide, { name: 'OrderSide' });
registerEnumType(OrderType, { name: 'OrderType', valuesConfig: { SL_M: { description: 'Stop-loss market (SL-M)' } } });
registerEnumType(ExecutionStatus, { name: 'ExecutionStatus' });
registerEnumType(ExecutionEventType, { name: 'ExecutionEventType' });
registerEnumType(AlertStatus, { name: 'AlertStatus' });
registerEnumType(BrokerAccountStatus, { name: 'BrokerAccountStatus' });
registerEnumType(NotificationKind, { name: 'NotificationKind' });
registerEnumType(NotificationStatus, { name: 'NotificationStatus' });
registerEnumType(ApiKeyScope, {
  name: 'ApiKeyScope',
  valuesConfig: {
    READ: { description: 'Queries and subscriptions' },
    TRADE: {
      description:
        'Also the trading mutations: strategies (create, update, delete, clone, toggle, deploy) and replayDeadLetter',
    },
  },
});
registerEnumType(NotificationEvent, {
  name: 'NotificationEvent',
  description:
    'What a notification is about; TEST is the message of sendTestNotification and cannot be chosen as a preference',
});
