import { marketState } from '@algodatta/broker-paper';
import { EXCHANGE_SEGMENTS, type ExchangeSegment } from '@algodatta/broker-sdk';
import { TradingMode } from '../../shared/enums';
import { formatIst } from '../../shared/ist';

export type SessionCheck = { open: true } | { open: false; nextOpen: Date; message: string };

const OPEN: SessionCheck = { open: true };
const isSegment = (s: string): s is ExchangeSegment => (EXCHANGE_SEGMENTS as readonly string[]).includes(s);

// Paper trades only while its segment's exchange does (PAPER_MARKET_HOURS=enforce), like a broker: the calendar
// (sessions, weekends, holidays) is the paper plugin's data. LIVE orders are the broker's to refuse. `now` is a
// field so a test can put the api on a fixed clock.
export class PaperMarketHours {
  constructor(private readonly enforce: boolean, public now: () => number = Date.now) {}

  check(mode: TradingMode | string, segment: string): SessionCheck {
    if (!this.enforce || mode !== TradingMode.PAPER || !isSegment(segment)) return OPEN;
    const state = marketState(segment, this.now());
    if (state.open) return OPEN;
    const why = state.reason === 'weekend' ? 'weekend' : state.holiday ? `holiday: ${state.holiday}` : state.reason === 'before_open' ? 'before the open' : 'after the close';
    const nextOpen = new Date(state.nextOpen);
    return { open: false, nextOpen, message: `${segment} is closed (${why}); it opens ${formatIst(nextOpen)} IST` };
  }
}
