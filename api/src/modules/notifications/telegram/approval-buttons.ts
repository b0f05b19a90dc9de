import { createHmac, timingSafeEqual } from 'node:crypto';
import { isUuid } from '../../../shared/ids';
import type { InlineKeyboard } from './telegram-api.client';

export type ApprovalAction = 'approve' | 'reject';

// Callback data of the Approve / Reject buttons: "ap:<a|r>:<execution id, 16 bytes base64url>:<mac>". The mac
// (HMAC-SHA256 under SECRET_KEY, 128 bits) binds the action and the execution to the chat the button was sent to:
// nobody can make a button for an execution from its id, and a button forwarded to (or replayed from) another
// chat does not verify there. 2 + 1 + 1 + 1 + 22 + 1 + 22 = 50 bytes, within Telegram's 64.
const PREFIX = 'ap:';
const ACTIONS: Record<string, ApprovalAction> = { a: 'approve', r: 'reject' };

const packId = (uuid: string): string => Buffer.from(uuid.replace(/-/g, ''), 'hex').toString('base64url');
function unpackId(packed: string): string | null {
  const hex = Buffer.from(packed, 'base64url').toString('hex');
  if (hex.length !== 32) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const mac = (secretKey: string, code: string, executionId: string, chatId: string): Buffer =>
  createHmac('sha256', secretKey)
    .update(`telegram-approval:${code}:${executionId.toLowerCase()}:${chatId}`)
    .digest()
    .subarray(0, 16);

export function approvalCallbackData(
  secretKey: string,
  action: ApprovalAction,
  executionId: string,
  chatId: string,
): string {
  const code = action === 'approve' ? 'a' : 'r';
  return `${PREFIX}${code}:${packId(executionId)}:${mac(secretKey, code, executionId, chatId).toString('base64url')}`;
}

export function approvalKeyboard(secretKey: string, executionId: string, chatId: string): InlineKeyboard | undefined {
  if (!isUuid(executionId)) return undefined;
  return {
    inline_keyboard: [
      [
        { text: 'Approve', callback_data: approvalCallbackData(secretKey, 'approve', executionId, chatId) },
        { text: 'Reject', callback_data: approvalCallbackData(secretKey, 'reject', executionId, chatId) },
      ],
    ],
  };
}

export const isApprovalData = (data: string): boolean => data.startsWith(PREFIX);

// The button's action and execution when its mac verifies for this chat; null for anything forged or altered
export function readApprovalData(
  secretKey: string,
  data: string,
  chatId: string,
): { action: ApprovalAction; executionId: string } | null {
  const [, code, packed, presented, ...rest] = data.split(':');
  const action = ACTIONS[code];
  if (!action || !packed || !presented || rest.length) return null;
  const executionId = unpackId(packed);
  // Only the canonical text is the button: base64url ignores the unused low bits of a last character, so another
  // text can decode to the same bytes (an altered button that would otherwise verify)
  if (!executionId || packId(executionId) !== packed) return null;
  const expected = Buffer.from(mac(secretKey, code, executionId, chatId).toString('base64url'));
  const given = Buffer.from(presented);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { action, executionId };
}
