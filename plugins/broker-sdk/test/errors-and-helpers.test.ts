import {
  AuthError,
  BrokerError,
  BrokerUnavailableError,
  createFillDeduper,
  InvalidOrderError,
  isBrokerError,
  NetworkError,
  NotSupportedError,
  parseOrderPatch,
  parseOrderRequest,
  RateLimitError,
  RejectedError,
  TimeoutError,
  TokenExpiredError,
  UnknownOutcomeError,
  type BrokerManifest,
  type OrderUpdate,
} from '@algodatta/broker-sdk';

const b = { broker: 'x' };

describe('error tree', () => {
  it.each([
    [new TokenExpiredError('t', b), 'TOKEN_EXPIRED', false, AuthError],
    [new InvalidOrderError('t', b), 'INVALID_ORDER', false, RejectedError],
    [new NotSupportedError('t', b), 'NOT_SUPPORTED', false, BrokerError],
    [new RateLimitError('t', { ...b, retryAfterMs: 250 }), 'RATE_LIMITED', true, BrokerError],
    [new TimeoutError('t', b), 'TIMEOUT', true, NetworkError],
    [new BrokerUnavailableError('t', b), 'BROKER_UNAVAILABLE', true, NetworkError],
    [new UnknownOutcomeError('t', { ...b, clientOrderId: 'c1' }), 'UNKNOWN_OUTCOME', false, BrokerError],
  ])('should give %p a stable code, retryable flag and parent class', (e, code, retryable, parent) => {
    expect([e.code, e.retryable, e.broker, e.name]).toEqual([code, retryable, 'x', e.constructor.name]);
    expect(e).toBeInstanceOf(parent);
    expect(e).toBeInstanceOf(Error);
  });

  it('should keep the cause and retryAfterMs', () => {
    const cause = new Error('socket hang up');
    const e = new RateLimitError('slow down', { broker: 'dhan', retryAfterMs: 1000, cause, brokerCode: 'DH-904' });
    expect([e.cause, e.retryAfterMs, e.brokerCode]).toEqual([cause, 1000, 'DH-904']);
  });

  it('should recognise broker errors by shape (other module copies, serialized errors) and nothing else', () => {
    expect(isBrokerError({ code: 'RATE_LIMITED', retryable: true, broker: 'dhan', message: 'x' })).toBe(true);
    expect(isBrokerError({ code: 'SOMETHING', retryable: true, broker: 'dhan' })).toBe(false);
    expect(isBrokerError(new Error('x'))).toBe(false);
    expect(isBrokerError(null)).toBe(false);
  });
});

const manifest: Pick<BrokerManifest, 'name' | 'features'> = {
  name: 'x',
  features: {
    orderTypes: ['MARKET', 'LIMIT', 'SL-M'],
    validities: ['DAY'],
    products: ['INTRADAY'],
    segments: ['NSE_EQ'],
    modify: { price: true, quantity: false, trigger: false },
  },
};
const base = {
  clientOrderId: 'c-1',
  instrument: { symbol: 'SBIN', exchangeSegment: 'NSE_EQ' as const },
  side: 'BUY' as const,
  type: 'MARKET' as const,
  product: 'INTRADAY' as const,
  quantity: '1',
};

describe('parseOrderRequest', () => {
  it('should default timeInForce to DAY', () => {
    expect(parseOrderRequest(base, manifest).timeInForce).toBe('DAY');
  });
  it.each([
    [{ quantity: '0' }, /quantity must be > 0/],
    [{ type: 'LIMIT' as const }, /LIMIT needs a price > 0/],
    [{ type: 'SL-M' as const }, /SL-M needs a triggerPrice > 0/],
    [{ price: '10' }, /MARKET orders take no price/],
    [{ type: 'SL' as const, price: '1', triggerPrice: '1' }, /order type SL is not supported/],
    [{ timeInForce: 'IOC' as const }, /validity IOC is not supported/],
    [{ product: 'CNC' as const }, /product CNC is not supported/],
    [{ instrument: { symbol: 'X', exchangeSegment: 'MCX_COMM' as const } }, /segment MCX_COMM is not supported/],
    [{ clientOrderId: 'has space' }, /clientOrderId/],
    [{ quantity: '1e3' }, /decimal string/],
  ])('should refuse %p with InvalidOrderError', (patch, message) => {
    expect(() => parseOrderRequest({ ...base, ...patch }, manifest)).toThrow(InvalidOrderError);
    expect(() => parseOrderRequest({ ...base, ...patch }, manifest)).toThrow(message);
  });
  it('should check modify patches against features.modify', () => {
    expect(parseOrderPatch({ price: '10' }, manifest)).toEqual({ price: '10' });
    expect(() => parseOrderPatch({ quantity: '2' }, manifest)).toThrow(/cannot modify quantity/);
    expect(() => parseOrderPatch({}, manifest)).toThrow(/nothing to change/);
  });
});

describe('createFillDeduper', () => {
  it('should pass each fill tradeId once and every order update', () => {
    const seen: OrderUpdate[] = [];
    const deliver = createFillDeduper((u) => seen.push(u), 2);
    const fill = (tradeId: string) =>
      ({ kind: 'fill', tracked: true, ts: 1, fill: { tradeId } }) as unknown as OrderUpdate;
    const order = { kind: 'order', tracked: true, ts: 1, order: {} } as unknown as OrderUpdate;
    [fill('a'), fill('a'), order, order, fill('b'), fill('a')].forEach(deliver);
    expect(seen.map((u) => (u.kind === 'fill' ? u.fill.tradeId : 'order'))).toEqual(['a', 'order', 'order', 'b']);
    // Bounded memory: after 'c' the oldest id ('a') is forgotten
    deliver(fill('c'));
    deliver(fill('a'));
    expect(seen).toHaveLength(6);
  });
});
