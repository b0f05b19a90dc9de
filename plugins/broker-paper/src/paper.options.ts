// Deployment options of the paper broker (validated at load by the SDK loader)

// Each option's description is what the host's .env.example prints (BROKER_PAPER_<OPTION>).

import { instrumentSchema, nonNegativeDecimal, positiveDecimal } from '@algodatta/broker-sdk';
import { z } from 'zod';

export const paperOptionsSchema = z.object({
  /** PostgreSQL URL; the plugin creates its paper_* tables there. The host passes its own database. */
  databaseUrl: z.string().min(1, 'databaseUrl is required (postgres://...)'),
  slippageBps: nonNegativeDecimal
    .default('5')
    .describe('Paper MARKET (and triggered SL-M) fills move this many basis points against the trader'),
  marketHours: z
    .enum(['enforce', 'ignore'])
    .default('enforce')
    .describe(
      "enforce: paper orders only inside each segment's session (weekends and exchange holidays closed; outside it an alert is refused as market_closed, or queued for the next open when the strategy allows after-market orders); ignore: paper trades around the clock (demos, tests)",
    ),
  initialCapital: positiveDecimal.default('1000000').describe('Starting cash of each new paper account (INR)'),
  instruments: z
    .array(instrumentSchema)
    .default([])
    .describe('Known instruments (JSON array): lot and tick sizes, searchable with searchInstruments'),
  defaultTickSize: positiveDecimal
    .default('0.05')
    .describe('Tick size used when neither the order nor the known instruments give one'),
  ordersPerSecond: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Per-account order rate limit (a broker allows about 10-25 orders/s); off by default'),
  poolSize: z
    .number()
    .int()
    .positive()
    .max(100)
    .default(10)
    .describe('PostgreSQL connections of the paper engine (one pool per database per process)'),
});

export type PaperOptions = z.output<typeof paperOptionsSchema>;
export type PaperOptionsInput = z.input<typeof paperOptionsSchema>;
