// Time comes from here, so tests can move it (TradingView resends, session ends, token expiry).
export type Clock = { now(): Date };
export const systemClock: Clock = { now: () => new Date() };
