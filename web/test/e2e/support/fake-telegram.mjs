// A local Telegram Bot API (POST /bot<token>/<method>, JSON in, { ok, result } out), as the api's own harness
// (api/test/harness/fake-telegram.ts) speaks it: sendMessage is recorded, getUpdates answers an empty list after
// its long-poll timeout. Point the api at it with TELEGRAM_API_BASE and TELEGRAM_BOT_TOKEN.
import http from "node:http";

export const FAKE_BOT_TOKEN = "123456:E2E-fake-bot_token";

export async function startFakeTelegram(token = FAKE_BOT_TOKEN) {
  const sent = [];
  const polls = new Set();
  let nextId = 1;
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => {
      raw += chunk;
    });
    req.on("end", () => {
      const answer = (status, body) => {
        if (res.writableEnded) return;
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? "");
      if (!match) return answer(404, { ok: false, error_code: 404, description: "Not Found" });
      if (match[1] !== token) return answer(401, { ok: false, error_code: 401, description: "Unauthorized" });
      let body = {};
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        return answer(400, { ok: false, error_code: 400, description: "Bad Request: invalid JSON" });
      }
      if (match[2] === "getUpdates") {
        const timer = setTimeout(
          () => {
            polls.delete(timer);
            answer(200, { ok: true, result: [] });
          },
          Math.max(0, Number(body.timeout ?? 0)) * 1000,
        );
        polls.add(timer);
        return;
      }
      if (match[2] === "sendMessage") {
        if (!body.chat_id || typeof body.text !== "string" || !body.text)
          return answer(400, { ok: false, error_code: 400, description: "Bad Request: message text is empty" });
        const message = {
          message_id: nextId++,
          chat: { id: Number(body.chat_id) },
          date: Math.floor(Date.now() / 1000),
          text: body.text,
        };
        sent.push({ chatId: String(body.chat_id), text: body.text });
        return answer(200, { ok: true, result: message });
      }
      return answer(200, { ok: true, result: true });
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;

  // The first message to chatId (after `skip` earlier ones) whose text matches, within timeoutMs
  async function waitForMessage(chatId, pattern, { timeoutMs = 15_000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = sent.find((m) => m.chatId === chatId && pattern.test(m.text));
      if (hit) return hit.text;
      if (Date.now() > deadline)
        throw new Error(`no Telegram message to ${chatId} matched ${pattern}; sent: ${JSON.stringify(sent)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  return {
    url,
    token,
    sent,
    waitForMessage,
    async close() {
      for (const timer of polls) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
