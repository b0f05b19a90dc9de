import http from 'node:http';
import type { AddressInfo } from 'node:net';

// A local Telegram Bot API server speaking its wire protocol (POST /bot<token>/<method>, JSON in, { ok, result }
// out). It records every call, can be told to answer with errors (429 with retry_after, 403, 5xx), and serves
// getUpdates long polls from updates a test pushes. Like Telegram, it keeps the webhook setWebhook registers (and
// deleteWebhook removes), refuses getUpdates while one is set (409), and then POSTs each pushed update to it with
// X-Telegram-Bot-Api-Secret-Token, again until it gets a 2xx; the registered URL is public, so a test names the
// local origin to deliver to (deliverWebhooksTo).
export type TelegramCall = { method: string; body: any; at: number };
export type Webhook = {
  url: string;
  secret_token?: string;
  allowed_updates?: string[];
  drop_pending_updates?: boolean;
};
export type Delivery = { updateId: number; status: number; at: number };
type Scripted = { method: string; status: number; body: Record<string, unknown> };
type Update = Record<string, unknown> & { update_id: number };

export const TEST_BOT_TOKEN = '123456:TEST-bot-token_abc';

export class FakeTelegram {
  readonly calls: TelegramCall[] = [];
  private readonly scripted: Scripted[] = [];
  private readonly updates: Update[] = [];
  private readonly waiting = new Set<() => void>();
  private nextUpdateId = 1;
  private nextMessageId = 100;
  // Every sendMessage answers this status while set (Telegram down)
  downWith?: number;
  url = '';
  // What setWebhook registered, until deleteWebhook
  webhook?: Webhook;
  // Each POST of an update to the webhook, with the status it got (0: no answer)
  readonly deliveries: Delivery[] = [];
  private deliverTo?: string;
  // sendMessage to these chats answers after this many ms (a slow chat)
  private readonly slowChats = new Map<string, number>();
  private undelivered: Update[] = [];
  // Messages the bot sent, by chat and message id, with their text and buttons as edited since
  private readonly messages = new Map<string, { text: string; replyMarkup?: any }>();
  // Callback queries pushed and not yet answered (Telegram accepts one answer per query)
  private readonly openCallbacks = new Set<string>();
  private readonly delivering = new Set<Promise<void>>();

  private constructor(
    private readonly server: http.Server,
    private readonly token: string,
  ) {}

  static async start(token = TEST_BOT_TOKEN): Promise<FakeTelegram> {
    let fake!: FakeTelegram;
    const server = http.createServer((req, res) => fake.handle(req, res));
    // As the api does: a client's reuse of an idle connection never races our close at 5 s
    server.keepAliveTimeout = 65_000;
    fake = new FakeTelegram(server, token);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return fake;
  }

  // The next `times` calls of `method` get this answer
  failNext(method: string, status: number, extra: Record<string, unknown> = {}, times = 1): void {
    for (let i = 0; i < times; i += 1) {
      this.scripted.push({
        method,
        status,
        body: { ok: false, error_code: status, description: DESCRIPTIONS[status] ?? 'Error', ...extra },
      });
    }
  }

  sent(chatId?: string): Array<{ chatId: string; text: string; replyMarkup?: any; at: number; messageId: number }> {
    return this.calls
      .filter(
        (c) =>
          c.method === 'sendMessage' && c.body?.__ok && (chatId === undefined || String(c.body.chat_id) === chatId),
      )
      .map((c) => ({
        chatId: String(c.body.chat_id),
        text: c.body.text,
        replyMarkup: c.body.reply_markup,
        at: c.at,
        messageId: c.body.__messageId,
      }));
  }

  // A sent message as it reads now (after editMessageText)
  message(chatId: string, messageId: number): { text: string; replyMarkup?: any } | undefined {
    return this.messages.get(`${chatId}:${messageId}`);
  }

  attempts(chatId: string): TelegramCall[] {
    return this.calls.filter((c) => c.method === 'sendMessage' && String(c.body?.chat_id) === chatId);
  }

  async waitForSent(
    chatId: string,
    predicate: (text: string) => boolean = () => true,
    timeoutMs = 8000,
  ): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.sent(chatId).find((m) => predicate(m.text));
      if (hit) return hit.text;
      if (Date.now() > deadline)
        throw new Error(
          `no Telegram message to ${chatId} matched; sent: ${JSON.stringify(this.sent(chatId).map((m) => m.text))}`,
        );
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  // Returns the update's id
  pushMessage(chatId: string, text: string, fromId = Number(chatId)): number {
    return this.push({
      message: {
        message_id: this.nextMessageId++,
        chat: { id: Number(chatId), type: 'private' },
        from: { id: fromId },
        date: Math.floor(Date.now() / 1000),
        text,
      },
    });
  }

  // A button pressed in `chatId`: under a message the bot sent there (`messageId`), or under a message of its own
  pushCallback(chatId: string, data: string, messageText = '', messageId?: number): string {
    const id = `cbq-${this.nextUpdateId}`;
    const underId = messageId ?? this.nextMessageId++;
    // A message of its own is one the bot sent earlier, as far as this fake knows
    if (messageId === undefined) this.messages.set(`${chatId}:${underId}`, { text: messageText || '(message)' });
    const sent = this.messages.get(`${chatId}:${underId}`);
    this.openCallbacks.add(id);
    this.push({
      callback_query: {
        id,
        from: { id: Number(chatId) },
        chat_instance: `ci-${chatId}`,
        data,
        message: {
          message_id: underId,
          chat: { id: Number(chatId) },
          text: sent?.text ?? messageText,
          ...(sent?.replyMarkup && { reply_markup: sent.replyMarkup }),
        },
      },
    });
    return id;
  }

  // Webhook deliveries go to this origin (the api under test) at the registered URL's path
  deliverWebhooksTo(origin: string): void {
    this.deliverTo = origin;
    this.flushWebhook();
  }

  slowSendsTo(chatId: string, ms: number): void {
    this.slowChats.set(chatId, ms);
  }

  // Calls of one method, in order
  callsOf(method: string): TelegramCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  async close(): Promise<void> {
    this.deliverTo = undefined;
    await Promise.all(this.delivering);
    for (const wake of this.waiting) wake();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private push(update: Omit<Update, 'update_id'>): number {
    const full = { update_id: this.nextUpdateId++, ...update } as Update;
    if (this.webhook) {
      this.undelivered.push(full);
      this.flushWebhook();
    } else {
      this.updates.push(full);
      for (const wake of this.waiting) wake();
    }
    return full.update_id;
  }

  private flushWebhook(): void {
    if (!this.webhook || !this.deliverTo) return;
    for (const update of this.undelivered.splice(0)) {
      const delivery = this.deliver(update).finally(() => this.delivering.delete(delivery));
      this.delivering.add(delivery);
    }
  }

  // Telegram's side of a webhook: POST, and again (here 200 ms apart, five times) until a 2xx
  private async deliver(update: Update): Promise<void> {
    for (let attempt = 0; attempt < 5 && this.webhook && this.deliverTo; attempt += 1) {
      const { pathname } = new URL(this.webhook.url);
      let status = 0;
      try {
        const res = await fetch(`${this.deliverTo}${pathname}`, {
          method: 'POST',
          body: JSON.stringify(update),
          headers: {
            'content-type': 'application/json',
            ...(this.webhook.secret_token && { 'x-telegram-bot-api-secret-token': this.webhook.secret_token }),
          },
        });
        status = res.status;
        await res.arrayBuffer();
      } catch {
        /* no answer: retried */
      }
      this.deliveries.push({ updateId: update.update_id, status, at: Date.now() });
      if (status >= 200 && status < 300) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  // setWebhook as Telegram checks it: an https URL on 443, 80, 88 or 8443 and a secret of its alphabet
  private setWebhook(body: Webhook): string | undefined {
    let url: URL;
    try {
      url = new URL(body.url);
    } catch {
      return 'Bad Request: bad webhook: Failed to resolve host';
    }
    if (url.protocol !== 'https:') return 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook';
    if (!['443', '80', '88', '8443'].includes(url.port || '443'))
      return 'Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443';
    if (body.secret_token !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(body.secret_token))
      return 'Bad Request: secret token contains unallowed characters';
    this.webhook = body;
    // Updates no getUpdates took go to the webhook now (drop_pending_updates drops them instead)
    const pending = this.updates.splice(0);
    if (!body.drop_pending_updates) this.undelivered.push(...pending);
    this.flushWebhook();
    return undefined;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
      const send = (status: number, body: unknown) => {
        if (res.writableEnded) return;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (!match) return send(404, { ok: false, error_code: 404, description: 'Not Found' });
      if (match[1] !== this.token) return send(401, { ok: false, error_code: 401, description: 'Unauthorized' });
      const method = match[2];
      let body: any = {};
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        return send(400, { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' });
      }
      const call: TelegramCall = { method, body, at: Date.now() };
      this.calls.push(call);
      if (method === 'getUpdates' && this.webhook) {
        return send(409, {
          ok: false,
          error_code: 409,
          description:
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        });
      }
      if (method === 'getUpdates') return this.getUpdates(body, (result) => send(200, { ok: true, result }));
      const scriptedAt = this.scripted.findIndex((s) => s.method === method);
      if (scriptedAt >= 0) {
        const [s] = this.scripted.splice(scriptedAt, 1);
        return send(s.status, s.body);
      }
      if (method === 'setWebhook') {
        const refused = this.setWebhook(body);
        return refused
          ? send(400, { ok: false, error_code: 400, description: refused })
          : send(200, { ok: true, result: true, description: 'Webhook was set' });
      }
      if (method === 'deleteWebhook') {
        const had = Boolean(this.webhook);
        this.webhook = undefined;
        // Undelivered updates wait for getUpdates now
        this.updates.push(...(body.drop_pending_updates ? [] : this.undelivered.splice(0)));
        this.undelivered = [];
        return send(200, {
          ok: true,
          result: true,
          description: had ? 'Webhook was deleted' : 'Webhook is already deleted',
        });
      }
      if (method === 'getWebhookInfo') {
        return send(200, {
          ok: true,
          result: {
            url: this.webhook?.url ?? '',
            has_custom_certificate: false,
            pending_update_count: this.webhook ? this.undelivered.length : this.updates.length,
            allowed_updates: this.webhook?.allowed_updates,
          },
        });
      }
      if (method === 'sendMessage' && this.downWith)
        return send(this.downWith, {
          ok: false,
          error_code: this.downWith,
          description: DESCRIPTIONS[this.downWith] ?? 'Error',
        });
      if (method === 'sendMessage') {
        if (!body.chat_id || typeof body.text !== 'string' || !body.text.length)
          return send(400, { ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
        if (body.text.length > 4096)
          return send(400, { ok: false, error_code: 400, description: 'Bad Request: message is too long' });
        if (body.reply_markup !== undefined && !validKeyboard(body.reply_markup))
          return send(400, { ok: false, error_code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' });
        const answer = () => {
          body.__ok = true;
          body.__messageId = this.nextMessageId++;
          this.messages.set(`${body.chat_id}:${body.__messageId}`, { text: body.text, replyMarkup: body.reply_markup });
          send(200, {
            ok: true,
            result: {
              message_id: body.__messageId,
              chat: { id: Number(body.chat_id) },
              date: Math.floor(Date.now() / 1000),
              text: body.text,
            },
          });
        };
        const slow = this.slowChats.get(String(body.chat_id));
        if (slow) return void setTimeout(answer, slow);
        return answer();
      }
      if (method === 'answerCallbackQuery') {
        // One answer per query, as Telegram: a second (or one for a query never sent) is refused
        if (!this.openCallbacks.delete(String(body.callback_query_id)))
          return send(400, {
            ok: false,
            error_code: 400,
            description: 'Bad Request: query is too old and response timeout expired or query ID is invalid',
          });
        if (body.text !== undefined && String(body.text).length > 200)
          return send(400, { ok: false, error_code: 400, description: 'Bad Request: MESSAGE_TOO_LONG' });
        return send(200, { ok: true, result: true });
      }
      if (method === 'editMessageText') {
        const key = `${body.chat_id}:${body.message_id}`;
        const current = this.messages.get(key);
        if (!current)
          return send(400, { ok: false, error_code: 400, description: 'Bad Request: message to edit not found' });
        if (typeof body.text !== 'string' || !body.text.length)
          return send(400, { ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
        if (body.text === current.text && body.reply_markup === undefined && current.replyMarkup === undefined)
          return send(400, {
            ok: false,
            error_code: 400,
            description: 'Bad Request: message is not modified',
          });
        // Without reply_markup the inline keyboard goes, as on Telegram
        this.messages.set(key, { text: body.text, replyMarkup: body.reply_markup });
        return send(200, {
          ok: true,
          result: { message_id: body.message_id, chat: { id: Number(body.chat_id) }, text: body.text },
        });
      }
      return send(200, { ok: true, result: true });
    });
  }

  private getUpdates(body: { offset?: number; timeout?: number }, answer: (updates: Update[]) => void): void {
    const ready = () => this.updates.filter((u) => body.offset === undefined || u.update_id >= body.offset);
    if (ready().length) return answer(ready());
    let timer: NodeJS.Timeout | undefined;
    const wake = () => {
      clearTimeout(timer);
      this.waiting.delete(wake);
      answer(ready());
    };
    this.waiting.add(wake);
    timer = setTimeout(wake, Math.max(0, body.timeout ?? 0) * 1000);
  }
}

// Telegram's rules for inline keyboards: rows of buttons, each with a text and 1-64 bytes of callback_data
function validKeyboard(markup: any): boolean {
  if (!markup || !Array.isArray(markup.inline_keyboard)) return false;
  return markup.inline_keyboard.every(
    (row: unknown) =>
      Array.isArray(row) &&
      row.every(
        (b: any) =>
          typeof b?.text === 'string' &&
          b.text.length > 0 &&
          typeof b.callback_data === 'string' &&
          Buffer.byteLength(b.callback_data) >= 1 &&
          Buffer.byteLength(b.callback_data) <= 64,
      ),
  );
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request: chat not found',
  403: 'Forbidden: bot was blocked by the user',
  429: 'Too Many Requests: retry after 1',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
};
