import { Alert } from '../modules/alerts/alert.entity';
import { ApiKey } from '../modules/api-keys/api-key.entity';
import { AuditLog } from '../modules/audit/audit-log.entity';
import { RefreshToken } from '../modules/auth/refresh-token.entity';
import { BrokerAccount } from '../modules/brokers/broker-account.entity';
import { DeadLetter } from '../modules/dead-letters/dead-letter.entity';
import { ExecutionEvent } from '../modules/executions/execution-event.entity';
import { ExecutionLeg } from '../modules/executions/execution-leg.entity';
import { Execution } from '../modules/executions/execution.entity';
import { ExitPlan } from '../modules/exits/exit-plan.entity';
import { Fill } from '../modules/executions/broker-updates/fill.entity';
import { Instrument } from '../modules/instruments/instrument.entity';
import { NotificationChannel } from '../modules/notifications/notification-channel.entity';
import { Notification } from '../modules/notifications/notification.entity';
import { NotificationOutbox } from '../modules/notifications/notification-outbox.entity';
import { NotificationPreference } from '../modules/notifications/notification-preference.entity';
import { TelegramUpdateClaim } from '../modules/notifications/telegram/telegram-update-claim.entity';
import { Position } from '../modules/positions/position.entity';
import { RoundTrip } from '../modules/positions/round-trip.entity';
import { AppSetting } from '../modules/settings/app-setting.entity';
import { Strategy } from '../modules/strategies/strategy.entity';
import { User } from '../modules/users/user.entity';

export const entities = [
  User,
  RefreshToken,
  BrokerAccount,
  Strategy,
  Alert,
  Execution,
  ExecutionEvent,
  ExecutionLeg,
  Fill,
  Position,
  RoundTrip,
  NotificationChannel,
  Notification,
  NotificationPreference,
  NotificationOutbox,
  DeadLetter,
  AuditLog,
  AppSetting,
  Instrument,
  ApiKey,
  TelegramUpdateClaim,
  ExitPlan,
];
