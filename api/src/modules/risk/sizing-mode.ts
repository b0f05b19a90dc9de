import { registerEnumType } from 'type-graphql';

// How an entry's quantity is decided (see sizing.ts). ALERT is the rule from before sizing modes existed.
export enum SizingMode {
  ALERT = 'ALERT',
  FIXED = 'FIXED',
  PERCENT_OF_CAPITAL = 'PERCENT_OF_CAPITAL',
  RISK_PER_TRADE = 'RISK_PER_TRADE',
  MULTIPLIER = 'MULTIPLIER',
}

registerEnumType(SizingMode, {
  name: 'SizingMode',
  description:
    "How an entry's quantity is decided; every result is rounded down to whole lots (or shares) and capped by maxQtyPerOrder and maxOpenPosition",
  valuesConfig: {
    ALERT: { description: "The alert's qty, else the strategy's qty (the default)" },
    FIXED: { description: "Always the strategy's qty; the alert's qty is ignored" },
    PERCENT_OF_CAPITAL: {
      description:
        "sizingValue percent of the account's available funds (paper capital or broker funds), at the alert's price",
    },
    RISK_PER_TRADE: {
      description:
        "sizingValue INR lost if the alert's stop_loss is hit: qty = risk / distance from the alert's price to the stop",
    },
    MULTIPLIER: {
      description:
        "The alert's qty (else the strategy's) times sizingValue; TradingView's position_size is scaled the same way",
    },
  },
});
