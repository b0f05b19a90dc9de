// Live prices (has.marketData): the broker's quote stream, e.g. DhanHQ's live market feed

import { z } from 'zod';
import { epochMs, instrumentRefSchema, nonNegativeDecimal, positiveDecimal } from './models';

export const tickSchema = z.object({
  broker: z.string().min(1),
  instrument: instrumentRefSchema,
  lastPrice: positiveDecimal,
  lastQuantity: nonNegativeDecimal.optional(),
  volume: nonNegativeDecimal.optional(),
  // When we received it (epoch ms, UTC); `exchangeTime` is the exchange's last-trade time when the feed gives one
  ts: epochMs,
  exchangeTime: epochMs.optional(),
});
export type Tick = z.infer<typeof tickSchema>;
export type TickHandler = (tick: Tick) => void;
