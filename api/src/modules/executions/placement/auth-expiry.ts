import { isBrokerError } from '@algodatta/broker-sdk';
import { logger } from '../../../shared/logger';
import { brokerReason, isAuthReason } from '../store/reject-reasons';

/** Marks the execution's broker account EXPIRED and tells its user (BrokerAccountService.onAuthError). */
export type AuthErrorHook = (executionId: string, code: string, message: string) => Promise<void>;

// A broker refusing the stored credentials gets one treatment wherever it shows: placing an order, polling it,
// or reading it back after a postback. Never throws: the caller has its own failure to report.
export async function expireOnAuthFailure(
  hook: AuthErrorHook | undefined,
  executionId: string,
  reason: string,
  message: string,
): Promise<void> {
  if (!hook || !isAuthReason(reason)) return;
  await hook(executionId, reason, message).catch((error: unknown) =>
    logger.error('auth error hook failed', { executionId, error }),
  );
}

/** The same, from a thrown error (anything but a broker's auth error is ignored). */
export async function expireOnAuthError(
  hook: AuthErrorHook | undefined,
  executionId: string,
  error: unknown,
): Promise<void> {
  if (isBrokerError(error)) await expireOnAuthFailure(hook, executionId, brokerReason(error.code), error.message);
}
