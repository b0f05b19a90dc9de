// Transitional (issue 13): the executor and the alert precheck import the market-hours check under its old name;
// it is the venue-neutral MarketHours now. Delete once they import market-hours.ts.
export { MarketHours as PaperMarketHours } from './market-hours';
export type { SessionCheck } from './market-hours';
