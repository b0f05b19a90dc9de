// Broker-side account controls: the static IP registered for orders, the kill switch, the daily P&L exit

import { z } from 'zod';
import { productSchema } from './enums';
import { nonNegativeDecimal, positiveDecimal } from './models';

export const staticIpInfoSchema = z.object({
  broker: z.string().min(1),
  accountId: z.string().min(1),
  // The IPs the broker accepts orders from; null when that slot is empty
  primary: z.string().min(1).nullable(),
  secondary: z.string().min(1).nullable(),
  raw: z.unknown().refine((v) => v !== undefined, 'raw must be present'),
});
/** has.staticIp: what `getStaticIp()` returns. */
export type StaticIpInfo = z.infer<typeof staticIpInfoSchema>;

export const killSwitchStateSchema = z.object({
  broker: z.string().min(1),
  accountId: z.string().min(1),
  active: z.boolean(),
  raw: z.unknown().refine((v) => v !== undefined, 'raw must be present'),
});
/** has.killSwitch: the broker's own kill switch (no orders for the rest of the day while active). */
export type KillSwitchState = z.infer<typeof killSwitchStateSchema>;

export const pnlExitRuleSchema = z
  .object({
    // Exit everything once the day's profit reaches this (INR); omit for no profit exit
    profit: positiveDecimal.optional(),
    // Exit everything once the day's loss reaches this (INR, a positive amount)
    loss: positiveDecimal.optional(),
    products: z.array(productSchema).min(1),
    // Also activate the broker's kill switch after the exit
    killSwitch: z.boolean().default(false),
  })
  .refine((r) => r.profit !== undefined || r.loss !== undefined, 'a P&L exit needs a profit or a loss amount');
/** has.pnlExit: input of `setPnlExit`. */
export type PnlExitRule = z.input<typeof pnlExitRuleSchema>;

export const pnlExitStateSchema = z.object({
  broker: z.string().min(1),
  accountId: z.string().min(1),
  active: z.boolean(),
  profit: nonNegativeDecimal.optional(),
  loss: nonNegativeDecimal.optional(),
  products: z.array(productSchema),
  killSwitch: z.boolean(),
  raw: z.unknown().refine((v) => v !== undefined, 'raw must be present'),
});
/** The P&L exit the broker holds for today. */
export type PnlExitState = z.infer<typeof pnlExitStateSchema>;
