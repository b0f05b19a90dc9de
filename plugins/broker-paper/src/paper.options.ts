// Deployment options of the paper broker (validated at load by the SDK loader)

import { instrumentSchema, nonNegativeDecimal, positiveDecimal } from '@algodatta/broker-sdk';
import { z } from 'zod';

export const paperOptionsSchema = z.object({
  /** PostgreSQL URL; the plugin creates its paper_* tables there. Required. */
  databaseUrl: z.string().min(1, 'databaseUrl is required (postgres://...)'),
  /** MARKET (and triggered SL-M) fills move this many basis points against the trader. Default 5 bps. */
  slippageBps: nonNegativeDecimal.default('5'),
  /** Starting cash of each new paper account (INR). */
  initialCapital: positiveDecimal.default('1000000'),
  /** Known instruments: lot and tick sizes, searchable with searchInstruments. */
  instruments: z.array(instrumentSchema).default([]),
  /** Tick size used when neither the order nor `instruments` gives one. */
  defaultTickSize: positiveDecimal.default('0.05'),
  /** Optional per-account order rate limit (DhanHQ allows 25 orders/s); off by default. */
  ordersPerSecond: z.number().int().positive().optional(),
  /** Connections in the shared pool (one pool per databaseUrl per process). */
  poolSize: z.number().int().positive().max(100).default(10),
});

export type PaperOptions = z.output<typeof paperOptionsSchema>;
export type PaperOptionsInput = z.input<typeof paperOptionsSchema>;
