// BC-M: the validators themselves catch broken shapes (so a passing suite means something)

import { fillSchema, orderSchema, positionSchema } from '../models';

const order = {
  clientOrderId: 'c1',
  brokerOrderId: 'b1',
  broker: 'x',
  accountId: 'a',
  instrument: { symbol: 'SBIN', exchangeSegment: 'NSE_EQ' },
  side: 'BUY',
  type: 'LIMIT',
  product: 'INTRADAY',
  timeInForce: 'DAY',
  quantity: '10',
  price: '100',
  status: 'open',
  filledQuantity: '0',
  createdAt: 1,
  updatedAt: 1,
  raw: {},
};

export function registerModelCards(): void {
  describe('model validators', () => {
    it('BC-M01 accepts a well-formed order', () => {
      expect(orderSchema.safeParse(order).success).toBe(true);
    });
    it('BC-M02 rejects filledQuantity above quantity', () => {
      expect(orderSchema.safeParse({ ...order, filledQuantity: '11', averagePrice: '100' }).success).toBe(false);
    });
    it('BC-M03 rejects unknown enums, float numbers and negative prices', () => {
      expect(orderSchema.safeParse({ ...order, status: 'PENDING' }).success).toBe(false);
      expect(orderSchema.safeParse({ ...order, quantity: 10 }).success).toBe(false);
      expect(orderSchema.safeParse({ ...order, price: '-1' }).success).toBe(false);
    });
    it('BC-M04 requires raw on every model', () => {
      const { raw: _raw, ...noRaw } = order;
      expect(orderSchema.safeParse(noRaw).success).toBe(false);
      expect(
        fillSchema.safeParse({
          tradeId: 't',
          clientOrderId: 'c',
          broker: 'x',
          accountId: 'a',
          instrument: order.instrument,
          side: 'BUY',
          product: 'CNC',
          quantity: '1',
          price: '1',
          ts: 1,
        }).success,
      ).toBe(false);
    });
    it('BC-M05 allows a signed netQuantity on positions', () => {
      expect(
        positionSchema.safeParse({
          broker: 'x',
          accountId: 'a',
          instrument: order.instrument,
          product: 'INTRADAY',
          netQuantity: '-5',
          averagePrice: '100',
          realizedPnl: '-3.5',
          raw: {},
        }).success,
      ).toBe(true);
    });
  });
}
