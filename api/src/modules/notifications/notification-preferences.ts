import { NotificationEvent } from '../../shared/enums';

// A new user hears about what needs attention, not every alert received or order placed
export const DEFAULT_NOTIFICATION_EVENTS: readonly NotificationEvent[] = [
  NotificationEvent.ORDER_FILLED,
  NotificationEvent.ORDER_REJECTED,
  NotificationEvent.ERROR,
  NotificationEvent.DEAD_LETTER,
  NotificationEvent.BROKER_TOKEN_EXPIRED,
  NotificationEvent.STRATEGY_DISABLED,
  NotificationEvent.KILL_SWITCH,
  NotificationEvent.BROKER_SESSION,
  NotificationEvent.BROKER_NOT_READY,
  // Nothing trades until the trader answers
  NotificationEvent.AWAITING_APPROVAL,
];

// Events that can be chosen (TEST always goes to the channel it tests)
export const CHOOSABLE_EVENTS = Object.values(NotificationEvent).filter((e) => e !== NotificationEvent.TEST);

export type PreferenceRow = { strategyId: string | null; events: string[] };

// One user's lists: the per-strategy list when there is one, else the default list, else the defaults
export class UserPreferences {
  private readonly byStrategy = new Map<string, Set<string>>();
  private readonly fallback: Set<string>;

  constructor(rows: PreferenceRow[]) {
    let defaults: string[] = [...DEFAULT_NOTIFICATION_EVENTS];
    for (const row of rows) {
      if (row.strategyId === null) defaults = row.events;
      else this.byStrategy.set(row.strategyId, new Set(row.events));
    }
    this.fallback = new Set(defaults);
  }

  wants(event: string, strategyId?: string | null): boolean {
    if (event === NotificationEvent.TEST) return true;
    const list = (strategyId && this.byStrategy.get(strategyId)) || this.fallback;
    return list.has(event);
  }

  // Whether any scope wants it: enough to decide that an event is worth recording at all
  wantsAnywhere(event: string): boolean {
    return this.fallback.has(event) || [...this.byStrategy.values()].some((list) => list.has(event));
  }
}
