// A rendered notification: one title, some lines, maybe a link. Telegram gets it as plain text (no parse_mode,
// so nothing needs escaping there); email gets the same text plus an HTML part in which everything is escaped.
export type Message = { title: string; lines: string[]; link?: string };
export type RenderedMessage = { subject: string; text: string; html: string };

// Telegram refuses messages over 4096 characters
export const TELEGRAM_MAX_TEXT = 4096;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

export function toText(message: Message): string {
  return [message.title, ...message.lines, ...(message.link ? [message.link] : [])].join('\n');
}

export function toHtml(message: Message): string {
  const lines = message.lines.map(escapeHtml).join('<br>\n');
  const link = message.link ? `\n<p><a href="${escapeHtml(message.link)}">Open in AlgoDatta</a></p>` : '';
  return `<div style="font-family:sans-serif"><p><strong>${escapeHtml(message.title)}</strong></p>\n<p>${lines}</p>${link}</div>`;
}

export function render(message: Message): RenderedMessage {
  const subject = `[AlgoDatta] ${message.title}`.slice(0, 200);
  return { subject, text: toText(message).slice(0, TELEGRAM_MAX_TEXT), html: toHtml(message) };
}
