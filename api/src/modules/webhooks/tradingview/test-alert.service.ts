import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../../../db/query';
import { emSql } from '../../../db/sql';
import { forbidden, notFound } from '../../../shared/app-error';
import { D } from '../../../shared/decimal';
import { Role, TradingMode } from '../../../shared/enums';
import { assertId } from '../../../shared/ids';
import type { AlertIntakeService } from '../../alerts/alert-intake.service';
import { acceptedFor, type ExecutorService } from '../../executions/placement/executor.service';
import { latestMarks, markKey } from '../../positions/mark-prices.sql';
import { MASKED_SECRET } from '../../strategies/deployment.service';
import { Strategy } from '../../strategies/strategy.entity';
import { loadStrategy, StrategySnapshot } from '../../strategies/strategy-snapshot';
import type { User } from '../../users/user.entity';
import { parseSignal } from './tradingview.payload';
import type { TestAlertResult, TestAlertTargetResult } from './test-alert.types';
import { attachExits } from '../../exits/alert-exits';
import { receiveStrategyAlert, WebhookReply } from './tradingview.webhook';

export type TestAlertInput = { strategyId: string; side: 'BUY' | 'SELL' | 'EXIT'; price?: string };

// The dashboard's "send test alert": the alert TradingView would post for this strategy, run through the webhook's
// own intake (rate limit, payload rules, door checks, the same answers), marked as a test (idempotency key test-…,
// execution source test_alert, extras.test). The dashboard never holds the webhook secret, so the alert enters
// after the secret check, for the strategy's owner only. A LIVE strategy's test is a dry run: a test button must
// never place a real order, so it is checked and answered but not recorded. One strategy, many accounts: the test
// alert is fanned out to the strategy's targets as TradingView's alert is, each under the same rule by its own
// mode (a PAPER target's is recorded and fills on paper, a LIVE target's is a dry run), whatever the strategy's.
export class TestAlertService {
  constructor(
    private readonly intake: AlertIntakeService,
    private readonly executor: ExecutorService,
  ) {}

  async send(em: EntityManager, user: User, input: TestAlertInput, ip: string): Promise<TestAlertResult> {
    const owned = await this.ownStrategy(em, user, input.strategyId);
    const strategy = await loadStrategy(emSql(em), owned.id);
    if (!strategy) throw notFound('Strategy');
    const alert = await this.alertFor(em, strategy, input);
    const shown = { ...alert, secret: MASKED_SECRET };
    if (!strategy.webhookSecretHash) {
      return {
        outcome: 'not_deployed',
        httpStatus: 401,
        response: { error: 'unauthorized' },
        alert: shown,
        message:
          'Not deployed yet: the webhook refuses alerts (401) until you deploy the strategy and paste its alert message into TradingView.',
        targets: [],
      };
    }
    const raw = JSON.stringify(alert);
    if (strategy.mode === TradingMode.LIVE) {
      const dry = await this.dryRun(strategy, alert, shown);
      return { ...dry, targets: dry.httpStatus === 400 ? [] : await this.fanOut(em, strategy, alert, raw, ip) };
    }
    const reply = await receiveStrategyAlert(
      this.intake,
      this.executor,
      strategy,
      alert,
      MASKED_SECRET,
      raw,
      ip,
      'test_alert',
    );
    reply.accepted?.();
    const alertId = (reply.body as { alert_id?: string }).alert_id;
    const [execution] = alertId
      ? await query<{ id: string }>(em, 'select id from executions where alert_id = ?', [alertId])
      : [];
    // As the webhook: an alert the strategy's intake took (accepted, duplicate or rejected) goes to its targets
    const taken = reply.status === 202 || reply.status === 200 || reply.status === 422;
    return {
      outcome: 'sent',
      httpStatus: reply.status,
      response: reply.body,
      alert: shown,
      message: describe(reply),
      executionId: execution?.id,
      targets: taken ? await this.fanOut(em, strategy, alert, raw, ip) : [],
    };
  }

  // The test alert on each fan-out target: PAPER targets through the intake (source test_alert, their orders start
  // at once), LIVE targets only checked, so a test never trades real money on any account
  private async fanOut(
    em: EntityManager,
    strategy: StrategySnapshot,
    alert: Record<string, unknown>,
    raw: string,
    ip: string,
  ): Promise<TestAlertTargetResult[]> {
    const parsed = parseSignal(alert, MASKED_SECRET, strategy.exchangeSegment);
    if (!parsed.ok) return [];
    const withExits = attachExits(strategy, parsed.signal, alert);
    if (!withExits.ok) return [];
    const targets = await this.intake.acceptTargets(
      strategy,
      withExits.signal,
      raw,
      ip,
      'test_alert',
      (target) => target.mode === TradingMode.LIVE,
    );
    const alertIds = targets.flatMap(({ result }) => ('alertId' in result ? [result.alertId] : []));
    const executions = alertIds.length
      ? await query<{ id: string; alert_id: string }>(
          em,
          'select id, alert_id from executions where alert_id = any(?::uuid[])',
          [`{${alertIds.join(',')}}`],
        )
      : [];
    return targets.map(({ strategy: target, result }) => {
      const base = { strategyId: target.id, name: target.name, mode: target.mode, broker: target.broker };
      switch (result.kind) {
        case 'skipped':
          return {
            ...base,
            outcome: 'skipped',
            httpStatus: null,
            response: { status: 'skipped' },
            message: 'Skipped: its multiplier is 0 (paused); nothing was recorded on this account.',
          };
        case 'error':
          return {
            ...base,
            outcome: 'error',
            httpStatus: null,
            response: { status: 'error' },
            message: 'Failed on this account (see the api log); the other accounts were not affected.',
          };
        case 'dry_run':
          return result.check.ok
            ? {
                ...base,
                outcome: 'dry_run',
                httpStatus: 202,
                response: { status: 'accepted' },
                message: `Dry run (LIVE account): the alert would be accepted (202) and become a real ${result.signal.side} order at ${target.broker}. Nothing was recorded or ordered.`,
              }
            : {
                ...base,
                outcome: 'dry_run',
                httpStatus: 422,
                response: { status: 'rejected', reason: result.check.reason, message: result.check.message },
                message: `Dry run (LIVE account): the alert would be rejected (422 ${result.check.reason}: ${result.check.message}). Nothing was recorded or ordered.`,
              };
        case 'invalid':
          return {
            ...base,
            outcome: 'sent',
            httpStatus: 400,
            response: { error: 'invalid_payload', details: result.details },
            message: 'Refused as invalid (400).',
          };
        default: {
          if (result.kind === 'accepted' && !result.awaitingApproval) this.executor.start(acceptedFor(target, result));
          const reply: WebhookReply =
            result.kind === 'accepted'
              ? { status: 202, body: { status: 'accepted', alert_id: result.alertId } }
              : result.kind === 'duplicate'
                ? { status: 200, body: { status: 'duplicate', alert_id: result.alertId } }
                : {
                    status: 422,
                    body: {
                      status: 'rejected',
                      reason: result.reason,
                      alert_id: result.alertId,
                      message: result.message,
                    },
                  };
          return {
            ...base,
            outcome: 'sent',
            httpStatus: reply.status,
            response: reply.body,
            message: describe(reply),
            executionId: executions.find((e) => e.alert_id === result.alertId)?.id,
          };
        }
      }
    });
  }

  private async ownStrategy(em: EntityManager, user: User, id: string): Promise<Strategy> {
    const strategy = await em.findOne(Strategy, { id: assertId(id, 'strategyId'), deletedAt: null });
    if (!strategy || (strategy.user.id !== user.id && user.role !== Role.ADMIN)) throw notFound('Strategy');
    // Admins read every strategy but trade only their own
    if (strategy.user.id !== user.id) throw forbidden('Only the owner of a strategy can send it a test alert');
    return strategy;
  }

  // As the generated alert message would arrive, with TradingView's placeholders filled from the strategy; no
  // market_position, so the strategy's opposite-signal policy decides, as for a plain BUY/SELL/EXIT
  private async alertFor(
    em: EntityManager,
    s: StrategySnapshot,
    input: TestAlertInput,
  ): Promise<Record<string, unknown>> {
    const price =
      input.price ??
      (
        await latestMarks(emSql(em), [
          { strategyId: s.id, userId: s.user.id, symbol: s.symbol, exchangeSegment: s.exchangeSegment },
        ])
      ).get(markKey({ strategyId: s.id, symbol: s.symbol }))?.price;
    return {
      secret: MASKED_SECRET,
      idempotency_key: `test-${randomUUID()}`,
      symbol: s.symbol,
      side: input.side,
      ...(input.side !== 'EXIT' && { qty: new D(s.qty).toFixed() }),
      order_type: 'MARKET',
      ...(price && { price }),
      time: new Date().toISOString(),
      extras: { source: 'AlgoDatta test alert', test: true, strategy: s.name },
    };
  }

  private async dryRun(
    strategy: StrategySnapshot,
    alert: Record<string, unknown>,
    shown: Record<string, unknown>,
  ): Promise<Omit<TestAlertResult, 'targets'>> {
    const parsed = parseSignal(alert, MASKED_SECRET, strategy.exchangeSegment);
    if (!parsed.ok) {
      const response = { error: 'invalid_payload', details: 'details' in parsed ? parsed.details : [] };
      return {
        outcome: 'dry_run',
        httpStatus: 400,
        response,
        alert: shown,
        message: 'The alert would be refused as invalid (400); nothing was recorded.',
      };
    }
    const check = await this.intake.precheck(strategy, parsed.signal);
    if (!check.ok) {
      return {
        outcome: 'dry_run',
        httpStatus: 422,
        response: { status: 'rejected', reason: check.reason, message: check.message },
        alert: shown,
        message: `Dry run (LIVE strategy): the alert would be rejected (422 ${check.reason}: ${check.message}). Nothing was recorded or ordered.`,
      };
    }
    return {
      outcome: 'dry_run',
      httpStatus: 202,
      response: { status: 'accepted' },
      alert: shown,
      message: `Dry run (LIVE strategy): the alert would be accepted (202) and become a real ${parsed.signal.side} order at ${strategy.broker}. Nothing was recorded or ordered.`,
    };
  }
}

function describe(reply: WebhookReply): string {
  const body = reply.body as { status?: string; reason?: string; message?: string; error?: string };
  switch (reply.status) {
    case 202:
      return 'Accepted (202): the test alert became a paper order; follow it under Executions.';
    case 200:
      return 'Duplicate (200): this alert was already received.';
    case 422:
      return `Rejected (422 ${body.reason}): ${body.message ?? ''}`.trim();
    case 429:
      return 'Rate limited (429): the strategy received more alerts this minute than its limit allows.';
    default:
      return `Refused (${reply.status} ${body.error ?? ''}).`;
  }
}
