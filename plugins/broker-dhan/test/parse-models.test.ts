// Parsers over recorded Dhan payloads (test/fixtures/http, test/fixtures/stream), validated by the SDK's model checks
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  assertValidFill,
  assertValidFunds,
  assertValidHolding,
  assertValidOrder,
  assertValidPosition,
  assertValidProfile,
} from '@algodatta/broker-sdk/conformance';
import { parseDhanOrder, parseDhanTrade, parseOrderAlert } from '../src';
import { parseDhanFunds } from '../src/parse/funds.parse';
import { parseDhanHolding } from '../src/parse/holding.parse';
import { parseDhanPosition } from '../src/parse/position.parse';
import { parseDhanProfile } from '../src/parse/profile.parse';

const fixture = (p: string): unknown => JSON.parse(readFileSync(path.join(__dirname, 'fixtures', p), 'utf8'));
const ctx = { broker: 'dhan', accountId: 'acct-1', now: 1_700_000_000_000 };

describe('Dhan payload parsers', () => {
  it('should parse a part-traded order with decimal strings and IST times', () => {
    const o = assertValidOrder(parseDhanOrder(fixture('http/get-order-by-id.json'), ctx));
    expect(o).toMatchObject({
      clientOrderId: '123abc678',
      brokerOrderId: '112111182198',
      status: 'partially_filled',
      type: 'LIMIT',
      price: '3345.8',
      quantity: '5',
      filledQuantity: '2',
      averagePrice: '3345.75',
      instrument: { symbol: 'TCS', exchangeSegment: 'NSE_EQ', securityId: '11536' },
    });
    expect(o.createdAt).toBe(Date.parse('2021-11-24T13:33:03+05:30'));
    expect(o.updatedAt).toBe(Date.parse('2021-11-24T13:33:05+05:30'));
    expect(o.triggerPrice).toBeUndefined();
  });

  it('should parse a one-element array answer the same way (docs sample shape)', () => {
    expect(parseDhanOrder([fixture('http/get-order-by-id.json')], ctx).brokerOrderId).toBe('112111182198');
  });

  it('should parse trades into fills keyed by the exchange trade id', () => {
    const [t] = fixture('http/get-trades.json') as unknown[];
    const f = assertValidFill(parseDhanTrade(t, { ...ctx, correlationId: 'exec-1' }));
    expect(f).toMatchObject({
      tradeId: '15112111182045',
      clientOrderId: 'exec-1',
      quantity: '40',
      price: '3345.8',
      side: 'BUY',
    });
  });

  it('should parse long and short positions with a signed net quantity and no float artefacts', () => {
    const [long, short] = (fixture('http/get-positions.json') as unknown[]).map((p) =>
      assertValidPosition(parseDhanPosition(p, ctx)),
    );
    expect(long).toMatchObject({ netQuantity: '40', averagePrice: '3215', unrealizedPnl: '6122', product: 'CNC' });
    expect(short).toMatchObject({
      netQuantity: '-1250',
      averagePrice: '301.25',
      realizedPnl: '-12.5',
      unrealizedPnl: '0.0000001',
      product: 'MARGIN',
      instrument: { exchangeSegment: 'MCX_COMM' },
    });
  });

  it('should parse holdings, funds (misspelled fields) and the profile', () => {
    const [h] = (fixture('http/get-holdings.json') as unknown[]).map((x) =>
      assertValidHolding(parseDhanHolding(x, ctx)),
    );
    expect(h).toMatchObject({
      quantity: '1000',
      averagePrice: '2655',
      lastPrice: '2700.05',
      instrument: { exchangeSegment: 'NSE_EQ' },
    });
    const f = assertValidFunds(parseDhanFunds(fixture('http/get-fundlimit.json'), ctx));
    expect(f).toMatchObject({ available: '98440', used: '15202', total: '113642', currency: 'INR' });
    const p = assertValidProfile(parseDhanProfile(fixture('http/get-profile.json'), ctx));
    expect(p.tokenExpiresAt).toBe(Date.parse('2025-03-30T15:37:00+05:30'));
    expect(p.segments).toEqual(['NSE_EQ', 'BSE_EQ', 'NSE_FNO', 'BSE_FNO', 'NSE_CURRENCY', 'BSE_CURRENCY', 'MCX_COMM']);
  });

  it('should parse a PascalCase order_alert with the cumulative fill from quantity - remaining', () => {
    const a = parseOrderAlert(fixture('stream/order-alert.json'), { ...ctx, clientId: '1100003626' });
    expect(a).not.toBeNull();
    assertValidOrder(a!.order);
    expect(a!.order).toMatchObject({
      status: 'partially_filled',
      side: 'SELL',
      product: 'MARGIN',
      filledQuantity: '500',
      averagePrice: '301.3',
      price: '301.2',
      clientOrderId: 'exec-ng-1',
    });
    expect(a!.filledQuantity).toBe(500);
    expect(a!.lastTradePrice).toBe('301.3');
  });
});
