// One test per row of DHAN_ERROR_MAP, plus the legacy error shape and a few rows over real HTTP
import {
  AuthError,
  BrokerError,
  InsufficientFundsError,
  InvalidOrderError,
  MarketClosedError,
  OrderNotFoundError,
  RateLimitError,
  RejectedError,
  TokenExpiredError,
  UnknownOutcomeError,
} from '@algodatta/broker-sdk';
import { DHAN_ERROR_MAP, findErrorRow, mapDhanFailure } from '../src';
import type { DhanFailure, DhanOp, DhanSimulator } from '../src';
import { RELIANCE, clientFor, newId, startSim } from './helpers/dhan-test-kit';

const dh = (status: number, errorCode: string, errorMessage = 'x', errorType = 'T'): DhanFailure => ({
  kind: 'http',
  status,
  body: { errorType, errorCode, errorMessage },
  text: '',
});
const plain = (status: number): DhanFailure => ({ kind: 'http', status, body: undefined, text: '<html>' });

// A failure (and the operation) that must land on each row
const SAMPLES: Record<string, [DhanFailure, DhanOp]> = {
  'DH-901': [
    dh(401, 'DH-901', 'Client ID or user generated access token is invalid or expired.', 'Invalid_Authentication'),
    'read',
  ],
  'DH-902': [dh(403, 'DH-902', 'User has not subscribed to Data APIs'), 'read'],
  'DH-903': [dh(400, 'DH-903', 'Segment is not activated'), 'write'],
  'DH-904': [dh(429, 'DH-904', 'Too many requests'), 'write'],
  'DH-905': [dh(400, 'DH-905', 'Missing required fields, bad values for parameters etc.', 'Input_Exception'), 'write'],
  'DH-906/funds': [dh(400, 'DH-906', 'Insufficient Funds: margin shortfall', 'Order_Error'), 'write'],
  'static-ip': [
    dh(
      403,
      'DH-902',
      'Orders are accepted only from your whitelisted static IP; this request came from 10.0.0.9',
      'Invalid_Access',
    ),
    'write',
  ],
  'DH-906/kill-switch': [
    dh(400, 'DH-906', 'Kill switch is active, new orders are not allowed', 'Order_Error'),
    'write',
  ],
  'DH-906/closed': [dh(400, 'DH-906', 'Market is closed for this segment', 'Order_Error'), 'write'],
  'DH-906': [dh(400, 'DH-906', 'Order is not in an open state', 'Order_Error'), 'write'],
  'DH-907/lookup': [dh(400, 'DH-907', 'No data present', 'Data_Error'), 'lookup'],
  'DH-907': [dh(400, 'DH-907', 'No data present', 'Data_Error'), 'read'],
  'DH-908': [dh(500, 'DH-908', 'Internal Server Error'), 'read'],
  'DH-909': [dh(502, 'DH-909', 'Network error'), 'read'],
  'DH-910': [dh(400, 'DH-910', 'Something else'), 'read'],
  'RS-9005': [
    {
      kind: 'http',
      status: 400,
      text: '',
      body: {
        errorCode: 'BAD_REQUEST_ERROR',
        httpStatus: 'BAD_REQUEST',
        internalErrorCode: 'RS-9005',
        internalErrorMessage: 'Transactions Fails.',
      },
    },
    'write',
  ],
  '800': [
    { kind: 'http', status: 500, text: '', body: { errorCode: 800, errorMessage: 'Internal Server Error' } },
    'read',
  ],
  '805': [
    { kind: 'http', status: 429, text: '', body: { errorCode: '805', errorMessage: 'Too many requests' } },
    'read',
  ],
  '806': [
    { kind: 'http', status: 403, text: '', body: { errorCode: '806', errorMessage: 'Data APIs not subscribed' } },
    'read',
  ],
  '807': [
    { kind: 'http', status: 401, text: '', body: { errorCode: '807', errorMessage: 'Access token is expired' } },
    'read',
  ],
  '808': [
    { kind: 'http', status: 401, text: '', body: { errorCode: '808', errorMessage: 'Authentication Failed' } },
    'read',
  ],
  '809': [
    { kind: 'http', status: 401, text: '', body: { errorCode: '809', errorMessage: 'Access token is invalid' } },
    'read',
  ],
  '810': [
    { kind: 'http', status: 401, text: '', body: { errorCode: '810', errorMessage: 'Client ID is invalid' } },
    'read',
  ],
  'HTTP 401': [plain(401), 'read'],
  'HTTP 403': [plain(403), 'write'],
  'HTTP 404/lookup': [plain(404), 'lookup'],
  'HTTP 429': [plain(429), 'read'],
  'HTTP 400': [plain(400), 'write'],
  'HTTP 4xx': [plain(409), 'write'],
  'HTTP 5xx': [plain(503), 'write'],
  'timeout/write': [{ kind: 'timeout' }, 'write'],
  timeout: [{ kind: 'timeout' }, 'read'],
  connect: [{ kind: 'connect', code: 'ECONNREFUSED' }, 'write'],
  'dropped/write': [{ kind: 'dropped', code: 'UND_ERR_SOCKET' }, 'write'],
  dropped: [{ kind: 'dropped', code: 'ECONNRESET' }, 'read'],
  'bad_response/write': [{ kind: 'bad_response', status: 200, text: '<html>' }, 'write'],
  bad_response: [{ kind: 'bad_response', status: 200, text: '<html>' }, 'read'],
};

describe('error map', () => {
  it('should have a sample for every row (a new row needs a test)', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(DHAN_ERROR_MAP.map((r) => r.id).sort());
  });

  it.each(DHAN_ERROR_MAP.map((row) => [row.id, row] as const))('row %s', (id, row) => {
    const [failure, op] = SAMPLES[id];
    expect(findErrorRow(failure, op)?.id).toBe(id);
    const e = mapDhanFailure(failure, { op, what: 'test call', clientOrderId: 'c-1' });
    expect(e.constructor).toBe(row.error);
    expect(e.broker).toBe('dhan');
    expect(e.retryable).toBe(new row.error('', { broker: 'dhan' }).retryable);
    if (row.retryAfterMs !== undefined) expect(e.retryAfterMs).toBe(row.retryAfterMs);
    if (row.code) expect(e.brokerCode).toBe(row.code);
    if (e instanceof UnknownOutcomeError) expect(e.clientOrderId).toBe('c-1');
  });

  it('should make DH-901 a TokenExpiredError that is not retryable', () => {
    const e = mapDhanFailure(SAMPLES['DH-901'][0], { op: 'write', what: 'place' });
    expect(e).toBeInstanceOf(TokenExpiredError);
    expect(e.retryable).toBe(false);
  });

  it('should fall back to a plain BrokerError for an unknown failure shape', () => {
    const e = mapDhanFailure({ kind: 'http', status: 302, body: {}, text: '' }, { op: 'read', what: 'x' });
    expect(e.constructor).toBe(BrokerError);
  });

  it('should keep the subclass families the SDK defines', () => {
    expect(mapDhanFailure(SAMPLES['DH-906/funds'][0], { op: 'write', what: 'x' })).toBeInstanceOf(RejectedError);
    expect(mapDhanFailure(SAMPLES['DH-906/closed'][0], { op: 'write', what: 'x' })).toBeInstanceOf(MarketClosedError);
    expect(mapDhanFailure(SAMPLES['DH-906/funds'][0], { op: 'write', what: 'x' })).toBeInstanceOf(
      InsufficientFundsError,
    );
    expect(mapDhanFailure(SAMPLES['DH-902'][0], { op: 'read', what: 'x' })).toBeInstanceOf(AuthError);
  });
});

describe('error map over HTTP (simulator)', () => {
  let sim: DhanSimulator;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(async () => {
    await sim.close();
  });

  const place = async (extra = {}) => {
    const client = await clientFor(sim, { lookupBeforePlace: false, ...extra });
    try {
      return await client
        .placeOrder({
          clientOrderId: newId('em'),
          instrument: RELIANCE,
          side: 'BUY',
          type: 'MARKET',
          product: 'INTRADAY',
          quantity: '1',
        })
        .then(
          () => null,
          (e: unknown) => e,
        );
    } finally {
      await client.close();
    }
  };

  it('should map the legacy RS-9005 body to InvalidOrderError', async () => {
    sim.inject({
      kind: 'http_error',
      status: 400,
      path: '/orders',
      body: {
        errorCode: 'BAD_REQUEST_ERROR',
        httpStatus: 'BAD_REQUEST',
        internalErrorCode: 'RS-9005',
        internalErrorMessage: 'Transactions Fails.',
      },
    });
    const e = await place();
    expect(e).toBeInstanceOf(InvalidOrderError);
    expect((e as InvalidOrderError).brokerCode).toBe('RS-9005');
  });

  it('should map DH-904 with HTTP 429 to RateLimitError', async () => {
    sim.inject({ kind: 'rate_limit', path: '/orders' });
    const e = await place();
    expect(e).toBeInstanceOf(RateLimitError);
    expect((e as RateLimitError).retryable).toBe(true);
  });

  it("should map the simulator's DH-905 for a lot-size violation to InvalidOrderError", async () => {
    const client = await clientFor(sim, { lookupBeforePlace: false });
    try {
      const before = sim.requests.length;
      const e = await client
        .placeOrder({
          clientOrderId: newId('lot'),
          instrument: { symbol: 'NIFTY-Jun2026-FUT', exchangeSegment: 'NSE_FNO', securityId: '62329' },
          side: 'BUY',
          type: 'MARKET',
          product: 'MARGIN',
          quantity: '10',
        })
        .catch((x: unknown) => x);
      // No lotSize in the request: the plugin cannot check it and Dhan (the simulator) refuses
      expect(e).toBeInstanceOf(InvalidOrderError);
      expect((e as InvalidOrderError).brokerCode).toBe('DH-905');
      expect(sim.requests.length - before).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('should refuse a non lot-multiple before sending when the lot size is known', async () => {
    const client = await clientFor(sim, { lookupBeforePlace: false });
    try {
      const before = sim.requests.length;
      const e = await client
        .placeOrder({
          clientOrderId: newId('lot'),
          instrument: { symbol: 'NIFTY-Jun2026-FUT', exchangeSegment: 'NSE_FNO', securityId: '62329', lotSize: '75' },
          side: 'BUY',
          type: 'MARKET',
          product: 'MARGIN',
          quantity: '10',
        })
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(InvalidOrderError);
      expect((e as Error).message).toMatch(/multiple of the lot size 75/);
      expect(sim.requests.length).toBe(before);
      // 2 lots = 150 units goes through
      const ok = await client.placeOrder({
        clientOrderId: newId('lot'),
        instrument: { symbol: 'NIFTY-Jun2026-FUT', exchangeSegment: 'NSE_FNO', securityId: '62329', lotSize: '75' },
        side: 'BUY',
        type: 'MARKET',
        product: 'MARGIN',
        quantity: '150',
      });
      expect((sim.requests[sim.requests.length - 1].body as { quantity: number }).quantity).toBe(150);
      expect(ok.quantity).toBe('150');
    } finally {
      await client.close();
    }
  });

  it('should map an unknown order id to OrderNotFoundError', async () => {
    const client = await clientFor(sim);
    try {
      await expect(client.getOrder({ clientOrderId: 'nope', brokerOrderId: '999' })).rejects.toBeInstanceOf(
        OrderNotFoundError,
      );
    } finally {
      await client.close();
    }
  });

  it('should map a missing price on the wire (DH-905) to InvalidOrderError', async () => {
    const res = await fetch(`${sim.url}/orders`, {
      method: 'POST',
      headers: {
        'access-token': 'eyJ-sim-token-for-tests',
        'client-id': '1100003626',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        dhanClientId: '1100003626',
        transactionType: 'BUY',
        exchangeSegment: 'NSE_EQ',
        productType: 'CNC',
        orderType: 'LIMIT',
        validity: 'DAY',
        securityId: 2885,
        quantity: 1,
      }),
    });
    const body = await res.json();
    expect(res.status).toBe(400);
    expect(body.errorCode).toBe('DH-905');
    expect(mapDhanFailure({ kind: 'http', status: 400, body, text: '' }, { op: 'write', what: 'x' })).toBeInstanceOf(
      InvalidOrderError,
    );
  });

  it('should classify a request not answered in time as TimeoutError on reads', async () => {
    sim.inject({ kind: 'slow', path: '/fundlimit', delayMs: 300 });
    const client = await clientFor(sim, { timeoutMs: 50 });
    try {
      const e = await client.funds().catch((x: unknown) => x);
      expect((e as BrokerError).code).toBe('TIMEOUT');
    } finally {
      await client.close();
    }
  });
});
