// The few Bot API methods we use, over HTTP as Telegram documents them: POST {base}/bot{token}/{method} with a
// JSON body, answered { ok, result } or { ok: false, error_code, description, parameters: { retry_after } }.
export type InlineKeyboard = { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> };
export type TelegramMessage = {
  message_id: number;
  chat: { id: number | string; type?: string };
  text?: string;
  from?: { id: number };
  reply_markup?: InlineKeyboard;
};
export type TelegramUpdate = {
  update_id: number;
  message?: TelegramMessage;
  callback_query?: { id: string; from: { id: number }; message?: TelegramMessage; data?: string };
};

// A refusal or failure of one call. `status` is the HTTP status (0 when no answer came), `retryAfterMs` Telegram's
// parameters.retry_after on a 429.
export class TelegramError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'TelegramError';
  }

  // 403: the user blocked the bot or left the chat; nothing will get through until they come back
  get blocked(): boolean {
    return this.status === 403;
  }

  // 400/404 will fail the same way again (chat not found, message too long); 429, 5xx and no answer may not
  get permanent(): boolean {
    return this.status >= 400 && this.status < 500 && this.status !== 429;
  }
}

const REQUEST_TIMEOUT_MS = 10_000;
// What the bot handles; Telegram sends nothing else (getUpdates and the webhook alike)
export const ALLOWED_UPDATES = ['message', 'callback_query'];

export class TelegramApiClient {
  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  sendMessage(chatId: string, text: string, replyMarkup?: InlineKeyboard): Promise<TelegramMessage> {
    return this.call('sendMessage', {
      chat_id: chatId,
      text,
      link_preview_options: { is_disabled: true },
      ...(replyMarkup && { reply_markup: replyMarkup }),
    });
  }

  getUpdates(offset: number | undefined, timeoutSeconds: number, signal?: AbortSignal): Promise<TelegramUpdate[]> {
    return this.call(
      'getUpdates',
      { offset, timeout: timeoutSeconds, allowed_updates: ALLOWED_UPDATES },
      timeoutSeconds * 1000 + REQUEST_TIMEOUT_MS,
      signal,
    );
  }

  // Updates waiting at Telegram stay there (drop_pending_updates false) and go to the webhook instead
  setWebhook(url: string, secretToken: string): Promise<boolean> {
    return this.call('setWebhook', {
      url,
      secret_token: secretToken,
      allowed_updates: ALLOWED_UPDATES,
      drop_pending_updates: false,
    });
  }

  // Telegram refuses getUpdates while a webhook is set; the waiting updates go to getUpdates instead
  deleteWebhook(): Promise<boolean> {
    return this.call('deleteWebhook', { drop_pending_updates: false });
  }

  answerCallbackQuery(id: string, text?: string): Promise<boolean> {
    return this.call('answerCallbackQuery', { callback_query_id: id, ...(text && { text }) });
  }

  // Without replyMarkup the message's buttons go
  editMessageText(chatId: string, messageId: number, text: string, replyMarkup?: InlineKeyboard): Promise<unknown> {
    return this.call('editMessageText', {
      chat_id: chatId,
      message_id: messageId,
      text,
      ...(replyMarkup && { reply_markup: replyMarkup }),
    });
  }

  private async call<T>(
    method: string,
    body: Record<string, unknown>,
    timeoutMs = REQUEST_TIMEOUT_MS,
    signal?: AbortSignal,
  ): Promise<T> {
    const timeout = AbortSignal.timeout(timeoutMs);
    let res: Response;
    try {
      res = await fetch(`${this.base.replace(/\/+$/, '')}/bot${this.token}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      // The URL holds the token: the message never includes it
      throw new TelegramError(
        0,
        `Telegram ${method} failed: ${error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'no answer'}`,
      );
    }
    const answer = (await res.json().catch(() => null)) as {
      ok?: boolean;
      result?: T;
      description?: string;
      parameters?: { retry_after?: number };
    } | null;
    if (res.ok && answer?.ok) return answer.result as T;
    const retryAfter = answer?.parameters?.retry_after;
    throw new TelegramError(
      res.status,
      `Telegram ${method}: ${res.status} ${answer?.description ?? res.statusText}`.slice(0, 300),
      typeof retryAfter === 'number' ? retryAfter * 1000 : undefined,
    );
  }
}
