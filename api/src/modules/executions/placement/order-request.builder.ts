import type { OrderRequest } from '@algodatta/broker-sdk';
import type Decimal from 'decimal.js';
import { D } from '../../../shared/decimal';
import { OrderType } from '../../../shared/enums';
import type { Execution } from '../execution.entity';

// The SDK order for an execution. MARKET orders carry the alert's price only as referencePrice
// (paper fills against it; live brokers ignore it).
// Numeric columns read back as '2500.0000'; brokers get canonical decimals
const num = (value: string) => new D(value).toFixed();

// The execution fields an order is built from (the entity and the executor's ExecutionJob both fit)
export type OrderSource = Pick<
  Execution,
  | 'clientOrderId'
  | 'symbol'
  | 'exchangeSegment'
  | 'securityId'
  | 'lotSize'
  | 'tickSize'
  | 'orderType'
  | 'productType'
  | 'price'
  | 'triggerPrice'
> & { strategy: { id: string } };

export function buildOrderRequest(execution: OrderSource, side: 'BUY' | 'SELL', qty: Decimal): OrderRequest {
  const priced = execution.orderType === OrderType.LIMIT || execution.orderType === OrderType.SL;
  const triggered = execution.orderType === OrderType.SL || execution.orderType === OrderType.SL_M;
  return {
    clientOrderId: execution.clientOrderId,
    instrument: {
      symbol: execution.symbol,
      exchangeSegment: execution.exchangeSegment as OrderRequest['instrument']['exchangeSegment'],
      ...(execution.securityId && { securityId: execution.securityId }),
      ...(execution.lotSize && { lotSize: num(execution.lotSize) }),
      ...(execution.tickSize && { tickSize: num(execution.tickSize) }),
    },
    side,
    type: execution.orderType as OrderRequest['type'],
    product: execution.productType as OrderRequest['product'],
    quantity: qty.toFixed(),
    ...(priced && execution.price && { price: num(execution.price) }),
    ...(triggered && execution.triggerPrice && { triggerPrice: num(execution.triggerPrice) }),
    ...(execution.orderType === OrderType.MARKET && execution.price && { referencePrice: num(execution.price) }),
    tag: execution.strategy.id,
  };
}

// Our clientOrderId (Dhan correlationId): 1-30 chars of [A-Za-z0-9_-], derived from the execution uuid.
export function clientOrderIdFor(executionId: string): string {
  return `ad${Buffer.from(executionId.replace(/-/g, ''), 'hex').toString('base64url')}`;
}
