import type { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../../../db/query';
import { D } from '../../../shared/decimal';
import { Role } from '../../../shared/enums';
import { istDayRange, istParts } from '../../../shared/ist';
import { formatInr, formatPnl, formatQty } from '../../../shared/inr';
import type { User } from '../../users/user.entity';
import type { InlineKeyboard } from './telegram-api.client';
import type { ApprovalAction } from './approval-buttons';

// What the bot may do, handed in at wiring time (the bot is a front door like the webhook, not a stage)
export type BotActions = {
  setStrategyEnabled(em: EntityManager, user: User, strategyId: string, enabled: boolean): Promise<void>;
  flatten(
    userId: string,
    strategyId: string,
    key: string,
  ): Promise<Array<{ symbol: string; outcome: string; reason?: string; executionId?: string }>>;
  setKillSwitch(em: EntityManager, user: User, enabled: boolean): Promise<void>;
  killSwitchOn(): Promise<boolean>;
  // An approval button: the same approval service as approveExecution / rejectExecution (risk and price age re-checked)
  decideApproval(userId: string, executionId: string, action: ApprovalAction): Promise<ApprovalOutcome>;
};

// What a pressed approval button did: `already` when the execution was decided before (nothing changed)
export type ApprovalOutcome = {
  outcome: 'approved' | 'rejected' | 'refused' | 'already' | 'not_found';
  status?: string;
  reason?: string;
  symbol?: string;
};

export type Reply = { text: string; keyboard?: InlineKeyboard };

// A confirmation button works for five minutes
export const CONFIRM_TTL_SECONDS = 300;

export const HELP = [
  "/status - open positions and today's P&L",
  '/strategies - your strategies',
  '/pause <strategy> - reject its new alerts',
  '/resume <strategy> - accept its alerts again',
  '/flatten <strategy> - exit its open positions (asks to confirm)',
  '/kill, /unkill - kill switch (administrators)',
].join('\n');

type StrategyRow = {
  id: string;
  name: string;
  symbol: string;
  mode: string;
  enabled: boolean;
  disabled_reason: string | null;
};

// The commands of a chat that is a verified channel of `user`. Everything read is the user's own.
export class BotCommands {
  constructor(
    private readonly actions: BotActions,
    private readonly webBaseUrl: string,
  ) {}

  async run(em: EntityManager, user: User, command: string, args: string): Promise<Reply> {
    switch (command) {
      case 'start':
      case 'help':
        return { text: `Linked to ${user.email}.\n${HELP}` };
      case 'status':
        return this.status(em, user);
      case 'strategies':
        return this.strategies(em, user);
      case 'pause':
      case 'resume':
        return this.toggle(em, user, args, command === 'resume');
      case 'flatten':
        return this.askFlatten(em, user, args);
      case 'kill':
      case 'unkill':
        if (user.role !== Role.ADMIN) return { text: 'Only an administrator can use the kill switch.' };
        await this.actions.setKillSwitch(em, user, command === 'kill');
        return {
          text:
            command === 'kill'
              ? 'Kill switch ON: new alerts are rejected and open orders are being cancelled.'
              : 'Kill switch off: alerts are accepted again.',
        };
      default:
        return { text: `Unknown command /${command}.\n${HELP}` };
    }
  }

  // The confirm button of /flatten: callback data "flatten:<strategy id>:<unix seconds>"
  async confirmFlatten(em: EntityManager, user: User, data: string, callbackId: string): Promise<Reply> {
    const [, strategyId, issued] = data.split(':');
    if (!strategyId || !issued || Date.now() / 1000 - Number(issued) > CONFIRM_TTL_SECONDS)
      return { text: 'That confirmation has expired; send /flatten again.' };
    const [strategy] = await query<StrategyRow>(
      em,
      'select id, name from strategies where id = ? and user_id = ? and deleted_at is null',
      [strategyId, user.id],
    );
    if (!strategy) return { text: 'That strategy is gone.' };
    const outcomes = await this.actions.flatten(user.id, strategy.id, callbackId);
    if (!outcomes.length) return { text: `${strategy.name} has no open position.` };
    const lines = outcomes.map((o) => {
      if (o.outcome === 'sent') return `EXIT ${o.symbol} sent: ${this.link(o.executionId!)}`;
      if (o.outcome === 'duplicate') return `EXIT ${o.symbol} was already sent.`;
      return `EXIT ${o.symbol} rejected: ${o.reason}`;
    });
    return { text: `Flatten ${strategy.name}:\n${lines.join('\n')}` };
  }

  private async status(em: EntityManager, user: User): Promise<Reply> {
    const positions = await query<{
      name: string;
      symbol: string;
      mode: string;
      qty: string;
      avg_price: string;
      unrealized_pnl: string;
    }>(
      em,
      `
      select s.name, p.symbol, p.mode, p.qty::text, p.avg_price::text, p.unrealized_pnl::text from positions p join strategies s on s.id = p.strategy_id
      where s.user_id = ? and p.qty <> 0 order by s.name, p.symbol`,
      [user.id],
    );
    const { start, end } = istDayRange(istParts(new Date()).date);
    const [today] = await query<{ pnl: string | null; trades: string }>(
      em,
      `
      select sum(pnl)::text as pnl, count(*) filter (where filled_qty > 0)::text as trades from executions
      where user_id = ? and updated_at >= ? and updated_at < ?`,
      [user.id, start, end],
    );
    const lines = positions.length
      ? positions.map(
          (p) =>
            `${p.symbol} (${p.name}, ${p.mode}): ${formatQty(p.qty)} @ ${formatInr(p.avg_price)}, unrealized ${formatPnl(p.unrealized_pnl)}`,
        )
      : ['No open positions.'];
    lines.push(
      `Today: ${today?.trades ?? 0} trades, realized P&L ${formatPnl(new D(today?.pnl ?? 0))} (net of charges)`,
    );
    if (await this.actions.killSwitchOn()) lines.push('The kill switch is ON.');
    return { text: lines.join('\n') };
  }

  private async strategies(em: EntityManager, user: User): Promise<Reply> {
    const rows = await this.ownStrategies(em, user);
    if (!rows.length) return { text: 'You have no strategies.' };
    return {
      text: rows
        .map(
          (s) =>
            `${s.name}: ${s.symbol}, ${s.mode}, ${s.enabled ? 'active' : `paused${s.disabled_reason ? ` (${s.disabled_reason})` : ''}`}`,
        )
        .join('\n'),
    };
  }

  private async toggle(em: EntityManager, user: User, name: string, enabled: boolean): Promise<Reply> {
    const found = await this.byName(em, user, name, enabled ? 'resume' : 'pause');
    if ('text' in found) return found;
    await this.actions.setStrategyEnabled(em, user, found.id, enabled);
    return {
      text: enabled
        ? `Resumed ${found.name}: its alerts are accepted again.`
        : `Paused ${found.name}: its new alerts are rejected (strategy_disabled).`,
    };
  }

  private async askFlatten(em: EntityManager, user: User, name: string): Promise<Reply> {
    const found = await this.byName(em, user, name, 'flatten');
    if ('text' in found) return found;
    const open = await query<{ symbol: string; qty: string }>(
      em,
      `select p.symbol, p.qty::text from positions p join strategies s on s.id = p.strategy_id
      where p.strategy_id = ? and p.mode = s.mode and p.qty <> 0 order by p.symbol`,
      [found.id],
    );
    if (!open.length) return { text: `${found.name} has no open position.` };
    return {
      text: `Flatten ${found.name}? This sends an EXIT for ${open.map((p) => `${p.symbol} (${formatQty(p.qty)})`).join(', ')}.`,
      keyboard: {
        inline_keyboard: [
          [
            { text: 'Confirm flatten', callback_data: `flatten:${found.id}:${Math.floor(Date.now() / 1000)}` },
            { text: 'Cancel', callback_data: 'cancel' },
          ],
        ],
      },
    };
  }

  private async byName(em: EntityManager, user: User, name: string, command: string): Promise<StrategyRow | Reply> {
    const wanted = name.trim().toLowerCase();
    if (!wanted) return { text: `Usage: /${command} <strategy name>` };
    const matches = (await this.ownStrategies(em, user)).filter(
      (s) => s.name.toLowerCase() === wanted || s.id === wanted,
    );
    if (matches.length === 1) return matches[0];
    if (matches.length > 1)
      return { text: `Several strategies are called "${name.trim()}"; use the strategy id instead.` };
    return { text: `No strategy called "${name.trim()}". /strategies lists yours.` };
  }

  private ownStrategies(em: EntityManager, user: User): Promise<StrategyRow[]> {
    return query<StrategyRow>(
      em,
      `select id, name, symbol, mode, enabled, disabled_reason from strategies where user_id = ? and deleted_at is null order by name`,
      [user.id],
    );
  }

  private link(executionId: string): string {
    return `${this.webBaseUrl.replace(/\/+$/, '')}/executions/${executionId}`;
  }
}
