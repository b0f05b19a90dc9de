import type { Sql } from '../../db/sql';
import { acceptedFor, type ExecutorService } from '../executions/placement/executor.service';
import { loadStrategy } from '../strategies/strategy-snapshot';
import type { AlertIntakeService } from './alert-intake.service';

export type ManualExitOutcome =
  | { symbol: string; outcome: 'sent'; executionId: string }
  | { symbol: string; outcome: 'duplicate' }
  | { symbol: string; outcome: 'rejected'; reason: string; message: string };

// An EXIT a trader asks for outside TradingView (the Telegram bot's /flatten): one internal alert per open
// position of the strategy, through the same intake and executor as a webhook alert, so it gets the same
// rules (the kill switch still stops it), an execution, events, charges and P&L. The key makes a repeated
// request (Telegram redelivering the confirmation) one exit. A paused strategy can still be flattened.
export class ManualExitService {
  constructor(
    private readonly sql: Sql,
    private readonly intake: AlertIntakeService,
    private readonly executor: ExecutorService,
  ) {}

  async flatten(userId: string, strategyId: string, key: string, source: string): Promise<ManualExitOutcome[]> {
    const strategy = await loadStrategy(this.sql, strategyId);
    if (!strategy || strategy.user.id !== userId) return [];
    const open = await this.sql.query<{ symbol: string }>(
      `select symbol from positions where strategy_id = ? and mode = ? and qty <> 0 order by symbol`,
      [strategyId, strategy.mode],
    );
    const outcomes: ManualExitOutcome[] = [];
    for (const { symbol } of open) {
      const result = await this.intake.accept(
        { ...strategy, enabled: true },
        {
          secret: '',
          idempotencyKey: `${source}:${key}:${symbol}`.slice(0, 200),
          symbol,
          side: 'EXIT',
          orderType: 'MARKET',
          extras: { source },
        },
        '',
        source,
      );
      if (result.kind === 'accepted') {
        this.executor.start(acceptedFor(strategy, result));
        outcomes.push({ symbol, outcome: 'sent', executionId: result.executionId });
      } else if (result.kind === 'duplicate') {
        outcomes.push({ symbol, outcome: 'duplicate' });
      } else if (result.kind === 'rejected') {
        outcomes.push({ symbol, outcome: 'rejected', reason: result.reason, message: result.message });
      } else {
        outcomes.push({
          symbol,
          outcome: 'rejected',
          reason: 'invalid',
          message: result.details.map((d) => d.message).join('; '),
        });
      }
    }
    return outcomes;
  }
}
