import { D } from '../../shared/decimal';
import { NotificationEvent } from '../../shared/enums';
import { formatInr, formatIstTime, formatPnl, formatQty } from '../../shared/inr';
import { redact } from '../../shared/redact';
import type { Message } from './notification-message';

// What the dispatcher reads for an outbox row (the execution and strategy rows as they are when it is sent)
export type ExecutionFacts = {
  id: string;
  symbol: string;
  side: string;
  brokerSide?: string;
  qty: string;
  mode: string;
  status: string;
  filledQty: string;
  avgFillPrice: string | null;
  pnl: string | null;
  charges: string;
  rejectReason: string | null;
  lastError: string | null;
};
export type TemplateInput = {
  event: NotificationEvent;
  at: Date;
  data: Record<string, unknown>;
  execution?: ExecutionFacts;
  strategy?: { id: string; name: string; mode: string };
  webBaseUrl: string;
};

export type SummaryStrategy = { name: string; mode: string; trades: number; pnl: string; closed: number; wins: number };
export type SummaryPosition = {
  strategy: string;
  symbol: string;
  mode: string;
  qty: string;
  avgPrice: string;
  unrealizedPnl: string;
};
export type DailySummaryData = {
  date: string;
  from: string;
  to: string;
  strategies: SummaryStrategy[];
  positions: SummaryPosition[];
};

const str = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));
// Broker and internal error texts can quote what they were sent: tokens never go out in a message
const safe = (v: unknown): string => String(redact(String(v ?? ''))).slice(0, 500);

// "EXIT (SELL 10)" for an EXIT whose planned order is known, "BUY 10" otherwise
function sideQty(e: ExecutionFacts, qty = e.qty): string {
  if (e.side === 'EXIT') return e.brokerSide ? `EXIT (${e.brokerSide} ${formatQty(qty)})` : 'EXIT';
  return `${e.side} ${formatQty(qty)}`;
}

function strategyLine(input: TemplateInput): string[] {
  const s = input.strategy;
  return s ? [`Strategy: ${s.name} (${input.execution?.mode ?? s.mode})`] : [];
}

const linkTo = (input: TemplateInput): string | undefined =>
  input.execution ? `${input.webBaseUrl.replace(/\/+$/, '')}/executions/${input.execution.id}` : undefined;

const when = (input: TemplateInput): string => `Time: ${formatIstTime(input.at)}`;

function orderFilled(input: TemplateInput, e: ExecutionFacts): Message {
  const d = input.data;
  const fillQty = str(d.qty) ?? e.filledQty;
  const price = str(d.price) ?? e.avgFillPrice ?? '0';
  const complete = d.complete !== false && new D(str(d.filledQty) ?? e.filledQty).gte(e.qty);
  const lines = [...strategyLine(input)];
  if (!complete) lines.push(`Filled so far: ${formatQty(str(d.filledQty) ?? e.filledQty)} of ${formatQty(e.qty)}`);
  const charges = new D(e.charges);
  // An entry's P&L is only its charges; P&L is shown once a fill realizes something
  if (e.pnl !== null && !new D(e.pnl).eq(charges.neg())) lines.push(`P&L (net of charges): ${formatPnl(e.pnl)}`);
  lines.push(`Charges: ${formatInr(charges)}`);
  const position = d.position as { qty?: string; avgPrice?: string } | undefined;
  if (position?.qty !== undefined) {
    lines.push(
      new D(position.qty).isZero()
        ? 'Position: flat'
        : `Position: ${formatQty(position.qty)} @ ${formatInr(position.avgPrice ?? '0')}`,
    );
  }
  lines.push(when(input));
  return {
    title: `${complete ? 'Filled' : 'Partly filled'}: ${sideQty(e, fillQty)} ${e.symbol} @ ${formatInr(price)}`,
    lines,
    link: linkTo(input),
  };
}

function orderRejected(input: TemplateInput, e: ExecutionFacts): Message {
  const reason = str(input.data.reason) ?? e.rejectReason ?? 'rejected';
  const detail = str(input.data.message) ?? e.lastError;
  return {
    title: `Rejected: ${sideQty(e)} ${e.symbol}`,
    lines: [
      ...strategyLine(input),
      `Reason: ${reason}${detail && detail !== reason ? ` (${safe(detail)})` : ''}`,
      when(input),
    ],
    link: linkTo(input),
  };
}

function executionMessage(input: TemplateInput, e: ExecutionFacts): Message {
  const d = input.data;
  switch (input.event) {
    case NotificationEvent.ALERT_RECEIVED:
      return {
        title: `Alert received: ${sideQty(e)} ${e.symbol}${str(d.price) ? ` @ ${formatInr(String(d.price))}` : ''}`,
        lines: [...strategyLine(input), when(input)],
        link: linkTo(input),
      };
    case NotificationEvent.ORDER_PLACED:
      return {
        title: `Order placed: ${sideQty(e)} ${e.symbol}`,
        lines: [
          ...strategyLine(input),
          ...(str(d.brokerOrderId) ? [`Broker order id: ${d.brokerOrderId}`] : []),
          when(input),
        ],
        link: linkTo(input),
      };
    case NotificationEvent.ORDER_FILLED:
      return orderFilled(input, e);
    case NotificationEvent.ORDER_REJECTED:
      return orderRejected(input, e);
    case NotificationEvent.ERROR: {
      // Not a failed attempt: TradingView's position before the alert was not ours (risk/position-check.ts)
      if (d.code === 'position_mismatch') {
        return {
          title: `Position mismatch: ${e.symbol}`,
          lines: [...strategyLine(input), safe(d.message), when(input)],
          link: linkTo(input),
        };
      }
      // An exit plan's exit was refused: the position went unguarded until the plan's next try (exits/)
      if (d.code === 'exit_failed') {
        return {
          title: `Exit refused: ${e.symbol}`,
          lines: [...strategyLine(input), safe(d.message), when(input)],
          link: linkTo(input),
        };
      }
      const retry =
        typeof d.retryInMs === 'number' ? `; retrying in ${Math.max(1, Math.round(d.retryInMs / 1000))} s` : '';
      return {
        title: `Error: ${sideQty(e)} ${e.symbol}`,
        lines: [
          ...strategyLine(input),
          `Attempt ${str(d.attempt) ?? '?'} failed: ${str(d.code) ?? 'error'} (${safe(d.message)})${retry}`,
          when(input),
        ],
        link: linkTo(input),
      };
    }
    case NotificationEvent.AWAITING_APPROVAL:
      return {
        title: `Approval needed: ${sideQty(e)} ${e.symbol}`,
        lines: [
          ...strategyLine(input),
          `Approve or reject it on the execution page within ${str(d.timeoutMinutes) ?? "the strategy's"} min, or it expires.`,
          when(input),
        ],
        link: linkTo(input),
      };
    case NotificationEvent.DEAD_LETTER:
      return {
        title: `Order failed after ${str(d.attempts) ?? 'all'} attempts: ${sideQty(e)} ${e.symbol}`,
        lines: [
          ...strategyLine(input),
          `Reason: ${str(d.reason) ?? 'unknown'} (${safe(d.message)})`,
          'Replay it from the dead letters page once the cause is fixed.',
          when(input),
        ],
        link: linkTo(input),
      };
    default:
      return {
        title: `${input.event}: ${sideQty(e)} ${e.symbol}`,
        lines: [...strategyLine(input), when(input)],
        link: linkTo(input),
      };
  }
}

function dailySummary(d: DailySummaryData): Message {
  const lines: string[] = [];
  let trades = 0;
  let pnl = new D(0);
  for (const s of d.strategies) {
    trades += s.trades;
    pnl = pnl.plus(s.pnl);
    const winRate = s.closed ? `, win rate ${Math.round((s.wins / s.closed) * 100)}% (${s.wins} of ${s.closed})` : '';
    lines.push(
      `${s.name} (${s.mode}): ${s.trades} trade${s.trades === 1 ? '' : 's'}, P&L ${formatPnl(s.pnl)}${winRate}`,
    );
  }
  lines.push(`Total: ${trades} trade${trades === 1 ? '' : 's'}, P&L ${formatPnl(pnl)} (net of charges)`);
  if (d.positions.length) {
    lines.push('Open positions:');
    for (const p of d.positions) {
      lines.push(
        `${p.symbol} (${p.strategy}, ${p.mode}): ${formatQty(p.qty)} @ ${formatInr(p.avgPrice)}, unrealized ${formatPnl(p.unrealizedPnl)}`,
      );
    }
  } else {
    lines.push('Open positions: none');
  }
  lines.push(`Period: ${formatIstTime(new Date(d.from))} to ${formatIstTime(new Date(d.to))}`);
  return { title: `Daily summary for ${d.date}`, lines };
}

// One template per event. Every value that came from outside (broker texts, names) is plain text here; the
// email's HTML part escapes it (notification-message.ts).
export function renderTemplate(input: TemplateInput): Message {
  const d = input.data;
  switch (input.event) {
    case NotificationEvent.BROKER_TOKEN_EXPIRED:
      return {
        title: `Your ${str(d.broker) ?? 'broker'} access token has expired`,
        lines: [
          `${str(d.broker) ?? 'The broker'} refused the stored access token (${safe(d.reason)}).`,
          `Live orders of your ${str(d.broker) ?? ''} strategies are rejected until you connect the account again with a new token.`.replace(
            '  ',
            ' ',
          ),
          when(input),
        ],
      };
    case NotificationEvent.BROKER_SESSION: {
      const broker = str(d.broker) ?? 'broker';
      const expires = str(d.expiresAt) ? formatIstTime(new Date(str(d.expiresAt)!)) : 'soon';
      if (d.kind === 'expiring') {
        return {
          title: `Your ${broker} access token expires at ${expires}`,
          lines: [
            'It could not be renewed automatically: connect a new token before then, or live orders will be rejected.',
            when(input),
          ],
        };
      }
      if (d.kind === 'expired') {
        return {
          title: `Your ${broker} access token has expired`,
          lines: [
            `It expired at ${expires}. Live orders are rejected until you connect the account again.`,
            when(input),
          ],
        };
      }
      return {
        title: `${broker}: the automatic ${d.kind === 'login_failed' ? 'login' : 'token renewal'} failed`,
        lines: [
          `${safe(d.reason)}. The stored token was kept (it expires at ${expires}); connect a new token if it does not recover.`,
          when(input),
        ],
      };
    }
    case NotificationEvent.BROKER_NOT_READY:
      return {
        title: `Your ${str(d.broker) ?? 'broker'} account is not ready to trade today`,
        lines: [
          ...(Array.isArray(d.items) ? d.items.map((i) => safe(i)) : []),
          'Alerts of your LIVE strategies on it are refused (broker_not_ready) until this is fixed.',
          when(input),
        ],
      };
    case NotificationEvent.STRATEGY_DISABLED:
      return {
        title: `${input.strategy?.name ?? 'A strategy'} disabled: daily loss limit reached`,
        lines: [
          `Today's realized P&L is ${formatPnl(str(d.pnl) ?? '0')}, at or below the limit of -${formatInr(str(d.limit) ?? '0')}.`,
          ...(Number(d.targets) > 0 ? [`Its ${Number(d.targets)} fan-out account(s) stopped with it.`] : []),
          'New alerts are rejected until you enable the strategy again.',
          when(input),
        ],
      };
    case NotificationEvent.KILL_SWITCH:
      return d.enabled
        ? {
            title: 'Kill switch ON',
            lines: [
              'An administrator turned the kill switch on: new alerts are rejected and open orders are being cancelled.',
              when(input),
            ],
          }
        : {
            title: 'Kill switch off',
            lines: ['An administrator turned the kill switch off: alerts are accepted again.', when(input)],
          };
    case NotificationEvent.DAILY_SUMMARY:
      return dailySummary(d as unknown as DailySummaryData);
    case NotificationEvent.TEST:
      return {
        title: 'Test notification',
        lines: ['This channel receives your AlgoDatta notifications.', when(input)],
      };
    default:
      if (input.execution) return executionMessage(input, input.execution);
      return { title: input.event, lines: [when(input)] };
  }
}

// Several messages waiting for one channel, sent as one: a count per kind, then one line per message
export function renderDigest(messages: Array<{ event: string; title: string }>, maxChars: number): Message {
  const counts = new Map<string, number>();
  for (const m of messages) counts.set(m.event, (counts.get(m.event) ?? 0) + 1);
  const summary = [...counts].map(([event, n]) => `${n} ${event.toLowerCase().replace(/_/g, ' ')}`).join(', ');
  const lines = [summary, ''];
  let used = summary.length + 40;
  let shown = 0;
  for (const m of messages) {
    const line = `- ${m.title}`;
    if (used + line.length + 60 > maxChars) break;
    lines.push(line);
    used += line.length + 1;
    shown += 1;
  }
  if (shown < messages.length) lines.push(`...and ${messages.length - shown} more (see Notifications in AlgoDatta)`);
  return { title: `${messages.length} notifications`, lines };
}
