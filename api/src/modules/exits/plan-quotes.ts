import type { InstrumentRef } from '@algodatta/broker-sdk';
import type { Sql } from '../../db/sql';
import { TradingMode } from '../../shared/enums';
import { logger } from '../../shared/logger';
import type { BrokerRegistry } from '../brokers/plugin-registry';
import type { BrokerRoute, BrokerRouter } from '../brokers/broker-route';
import type { PlanRow } from './exit-plans.sql';

type Watched = { strategyId: string; ticker: string };
type Feed = {
  plans: Map<string, Watched>;
  unsubscribe?: () => void;
  latest?: string;
  judging: boolean;
};
type FeedSource = { key: string; route: BrokerRoute; instrument: Instrument };
type Instrument = {
  broker: string;
  broker_account_id: string | null;
  exchange_segment: string;
  security_id: string | null;
};

// The broker's live prices for the plans of LIVE positions whose plugin declares has.marketData ("stream"), through
// the SDK only: one subscription per (broker account, instrument) while any plan needs it, dropped with the last
// plan. Ticks are judged one at a time per instrument, the newest first (a burst while a price is judged collapses
// into its last tick), so a fast feed costs at most one judging round per instrument at a time.
export class PlanQuotes {
  private readonly feeds = new Map<string, Feed>();
  // A plan's feed key, or the mark of its watch while the feed is looked up
  private readonly byPlan = new Map<string, string | symbol>();
  // Closed with the exit plans: a watch still under way, or a later one, subscribes nothing
  private closed = false;

  constructor(
    private readonly sql: Sql,
    private readonly brokers: BrokerRegistry,
    private readonly router: BrokerRouter,
    private readonly judge: (strategyId: string, ticker: string, price: string) => Promise<unknown>,
  ) {}

  async watch(plan: PlanRow): Promise<void> {
    if (this.closed || plan.mode !== TradingMode.LIVE || this.byPlan.has(plan.id)) return;
    // Registered before any await: a release (or a close) meanwhile takes the mark away, and this watch stops there
    const mark = Symbol(plan.id);
    this.byPlan.set(plan.id, mark);
    const released = () => this.byPlan.get(plan.id) !== mark;
    let source: FeedSource | null = null;
    try {
      source = await this.sourceOf(plan);
    } finally {
      if (!source && !released()) this.byPlan.delete(plan.id);
    }
    if (!source || released()) return;
    const { key, route, instrument } = source;
    this.byPlan.set(plan.id, key);
    const existing = this.feeds.get(key);
    if (existing) {
      existing.plans.set(plan.id, { strategyId: plan.strategy_id, ticker: plan.ticker });
      return;
    }
    const feed: Feed = {
      plans: new Map([[plan.id, { strategyId: plan.strategy_id, ticker: plan.ticker }]]),
      judging: false,
    };
    this.feeds.set(key, feed);
    const client = await this.brokers.client(
      route.broker,
      route.accountId,
      route.credentials,
      route.credentialsVersion,
    );
    if (!client.subscribeQuotes || this.feeds.get(key) !== feed) return;
    feed.unsubscribe = client.subscribeQuotes(
      [
        {
          symbol: plan.symbol,
          exchangeSegment: instrument.exchange_segment as InstrumentRef['exchangeSegment'],
          ...(instrument.security_id && { securityId: instrument.security_id }),
        },
      ],
      (tick) => this.onTick(feed, tick.lastPrice),
      { onError: (error) => logger.warn('exit plan price feed', { broker: route.broker, error: error.message }) },
    );
  }

  // The feed a LIVE plan needs: its instrument and route, null when its broker streams no prices
  private async sourceOf(plan: PlanRow): Promise<FeedSource | null> {
    const [instrument] = await this.sql.query<Instrument>(
      `select broker, broker_account_id, exchange_segment, security_id from executions where id = ?`,
      [plan.entry_execution_id],
    );
    if (!instrument || !this.brokers.has(instrument.broker)) return null;
    if (this.brokers.plugin(instrument.broker).manifest.has.marketData !== 'stream') return null;
    const route = await this.router.routeFor({
      mode: TradingMode.LIVE,
      broker: instrument.broker,
      accountId: instrument.broker_account_id ?? null,
      strategyId: plan.strategy_id,
      userId: plan.user_id,
    });
    if (!route) return null;
    const key = `${route.broker}:${route.accountId}:${instrument.exchange_segment}:${instrument.security_id ?? plan.symbol}`;
    return { key, route, instrument };
  }

  release(planId: string): void {
    const key = this.byPlan.get(planId);
    if (!key) return;
    this.byPlan.delete(planId);
    // A watch still looking its feed up: it sees its mark gone and subscribes nothing
    if (typeof key !== 'string') return;
    const feed = this.feeds.get(key);
    if (!feed) return;
    feed.plans.delete(planId);
    if (feed.plans.size) return;
    this.feeds.delete(key);
    feed.unsubscribe?.();
  }

  close(): void {
    this.closed = true;
    for (const feed of this.feeds.values()) feed.unsubscribe?.();
    this.feeds.clear();
    this.byPlan.clear();
  }

  private onTick(feed: Feed, price: string): void {
    feed.latest = price;
    if (feed.judging) return;
    feed.judging = true;
    void (async () => {
      while (feed.latest !== undefined) {
        const at = feed.latest;
        feed.latest = undefined;
        const targets = new Map([...feed.plans.values()].map((w) => [`${w.strategyId}:${w.ticker}`, w]));
        for (const w of targets.values())
          await this.judge(w.strategyId, w.ticker, at).catch((error: Error) =>
            logger.error('exit plan could not judge a tick', { strategyId: w.strategyId, error: error.message }),
          );
      }
      feed.judging = false;
    })();
  }
}
