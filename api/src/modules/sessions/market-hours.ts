import { EXCHANGE_SEGMENTS, type ExchangeSegment } from '@algodatta/broker-sdk';
import { TradingMode } from '../../shared/enums';
import { formatIst } from '../../shared/ist';
import type { BrokerRegistry } from '../brokers/plugin-registry';

export type SessionCheck = { open: true } | { open: false; nextOpen: Date; message: string };

const OPEN: SessionCheck = { open: true };
const isSegment = (s: string): s is ExchangeSegment => (EXCHANGE_SEGMENTS as readonly string[]).includes(s);

// A venue that keeps exchange hours itself (has.marketHours: the paper broker) trades only inside its calendar's
// sessions while it enforces them, like a broker would: outside, an alert is refused or queued for the next open.
// A live broker refuses orders on its own. `now` is a field so a test can put the api on a fixed clock.
export class MarketHours {
  constructor(
    private readonly brokers: Pick<BrokerRegistry, 'paperBroker' | 'marketHours'>,
    public now: () => number = Date.now,
  ) {}

  // PAPER orders go to the paper venue; a LIVE order to `broker` (checked only if that venue keeps hours)
  check(mode: TradingMode | string, segment: string, broker?: string): SessionCheck {
    const venue = mode === TradingMode.PAPER ? this.brokers.paperBroker() : broker;
    return venue ? this.checkVenue(venue, segment) : OPEN;
  }

  checkVenue(broker: string, segment: string): SessionCheck {
    const hours = this.brokers.marketHours(broker);
    if (!hours?.enforce || !isSegment(segment)) return OPEN;
    const state = hours.calendar.marketState(segment, this.now());
    if (state.open) return OPEN;
    const why =
      state.reason === 'weekend'
        ? 'weekend'
        : state.holiday
          ? `holiday: ${state.holiday}`
          : state.reason === 'before_open'
            ? 'before the open'
            : 'after the close';
    const nextOpen = new Date(state.nextOpen);
    return { open: false, nextOpen, message: `${segment} is closed (${why}); it opens ${formatIst(nextOpen)} IST` };
  }
}
