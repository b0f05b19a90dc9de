// ccxt-style structure validators: shape, enums, non-negative decimals, filled <= quantity, raw present

import type { z } from 'zod';
import {
  fillSchema,
  fundsSchema,
  holdingSchema,
  instrumentSchema,
  orderSchema,
  orderUpdateSchema,
  positionSchema,
  profileSchema,
} from '../models';
import { masterInstrumentSchema } from '../instrument-master.models';

function check<T>(schema: z.ZodType<T>, what: string, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`invalid ${what}: ${problems}\n${JSON.stringify(value)}`);
  }
  return r.data;
}

export const assertValidOrder = (v: unknown) => check(orderSchema, 'Order', v);
export const assertValidFill = (v: unknown) => check(fillSchema, 'Fill', v);
export const assertValidPosition = (v: unknown) => check(positionSchema, 'Position', v);
export const assertValidHolding = (v: unknown) => check(holdingSchema, 'Holding', v);
export const assertValidFunds = (v: unknown) => check(fundsSchema, 'Funds', v);
export const assertValidProfile = (v: unknown) => check(profileSchema, 'Profile', v);
export const assertValidInstrument = (v: unknown) => check(instrumentSchema, 'Instrument', v);
export const assertValidOrderUpdate = (v: unknown) => check(orderUpdateSchema, 'OrderUpdate', v);
export const assertValidMasterInstrument = (v: unknown) => check(masterInstrumentSchema, 'MasterInstrument', v);
