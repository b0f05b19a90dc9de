import http from 'node:http';
import type { AddressInfo } from 'node:net';

// A local Telegram Bot API server speaking its wire protocol (POST /bot<token>/<method>, JSON in, { ok, result }
// out). It records every call, can be told to answer with errors (429 with retry_after, 403, 5xx), and serves
// getUpdates long polls from updates a test pushes.
export type TelegramCall = { method: string; body: any; at: number };
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

  private constructor(private readonly server: http.Server, private readonly token: string) {}

  static async start(token = TEST_BOT_TOKEN): Promise<FakeTelegram> {
    let fake!: FakeTelegram;
    const server = http.createServer((req, res) => fake.handle(req, res));
    fake = new FakeTelegram(server, token);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return fake;
  }

  // The next `times` calls of `method` get this answer
  failNext(method: string, status: number, extra: Record<string, unknown> = {}, times = 1): void {
    for (let i = 0; i < times; i += 1) {
      this.scripted.push({ method, status, body: { ok: false, error_code: status, description: DESCRIPTIONS[status] ?? 'Error', ...extra } });
    }
  }

  sent(chatId?: string): Array<{ chatId: string; text: string; replyMarkup?: any; at: number }> {
    return this.calls
      .filter((c) => c.method === 'sendMessage' && c.body?.__ok && (chatId === undefined || String(c.body.chat_id) === chatId))
      .map((c) => ({ chatId: String(c.body.chat_id), text: c.body.text, replyMarkup: c.body.reply_markup, at: c.at }));
  }

  attempts(chatId: string): TelegramCall[] {
    return this.calls.filter((c) => c.method === 'sendMessage' && String(c.body?.chat_id) === chatId);
  }

  async waitForSent(chatId: string, predicate: (text: string) => boolean = () => true, timeoutMs = 8000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.sent(chatId).find((m) => predicate(m.text));
      if (hit) return hit.text;
      if (Date.now() > deadline) throw new Error(`no Telegram message to ${chatId} matched; sent: ${JSON.stringify(this.sent(chatId).map((m) => m.text))}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  pushMessage(chatId: string, text: string, fromId = Number(chatId)): void {
    this.push({ message: { message_id: this.nextMessageId++, chat: { id: Number(chatId), type: 'private' }, from: { id: fromId }, date: Math.floor(Date.now() / 1000), text } });
  }

  pushCallback(chatId: string, data: string, messageText = ''): string {
    const id = `cbq-${this.nextUpdateId}`;
    this.push({ callback_query: { id, from: { id: Number(chatId) }, data, message: { message_id: this.nextMessageId++, chat: { id: Number(chatId) }, text: messageText } } });
    return id;
  }

  async close(): Promise<void> {
    for (const wake of this.waiting) wake();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private push(update: Omit<Update, 'update_id'>): void {
    this.updates.push({ update_id: this.nextUpdateId++, ...update });
    for (const wake of this.waiting) wake();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let raw = '';
    req.on('data', (chunk) => { raw += chunk; });
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
      try { body = raw ? JSON.parse(raw) : {}; } catch { return send(400, { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' }); }
      const call: TelegramCall = { method, body, at: Date.now() };
      this.calls.push(call);
      if (method === 'getUpdates') return this.getUpdates(body, (result) => send(200, { ok: true, result }));
      const scriptedAt = this.scripted.findIndex((s) => s.method === method);
      if (scriptedAt >= 0) {
        const [s] = this.scripted.splice(scriptedAt, 1);
        return send(s.status, s.body);
      }
      if (method === 'sendMessage' && this.downWith) return send(this.downWith, { ok: false, error_code: this.downWith, description: DESCRIPTIONS[this.downWith] ?? 'Error' });
      if (method === 'sendMessage') {
        if (!body.chat_id || typeof body.text !== 'string' || !body.text.length) return send(400, { ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
        if (body.text.length > 4096) return send(400, { ok: false, error_code: 400, description: 'Bad Request: message is too long' });
        body.__ok = true;
        return send(200, { ok: true, result: { message_id: this.nextMessageId++, chat: { id: Number(body.chat_id) }, date: Math.floor(Date.now() / 1000), text: body.text } });
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

const DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request: chat not found',
  403: 'Forbidden: bot was blocked by the user',
  429: 'Too Many Requests: retry after 1',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
};
