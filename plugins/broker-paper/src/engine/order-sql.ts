// Shared pieces of the paper_orders statements

import { DuplicateOrderError } from '@algodatta/broker-sdk';
import { BROKER } from '../db/rows';

export const ORDER_COLUMNS = `account_id, client_order_id, broker_order_id, symbol, exchange_segment, security_id, lot_size, tick_size,
  is_option, slippage_bps, side, type, product, time_in_force, quantity, price, trigger_price, triggered, status,
  filled_quantity, average_price, reject_reason, tag, created_at, updated_at`;

export function duplicateOrder(o: { clientOrderId: string; accountId: string }): DuplicateOrderError {
  return new DuplicateOrderError(`paper: clientOrderId ${o.clientOrderId} was already used on account ${o.accountId}`, {
    broker: BROKER,
  });
}
