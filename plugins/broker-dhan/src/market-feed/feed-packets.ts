// DhanHQ live market feed v2, binary side (DhanHQ-py marketfeed.py). Requests are JSON:
//   {"RequestCode":15,"InstrumentCount":1,"InstrumentList":[{"ExchangeSegment":"NSE_EQ","SecurityId":"2885"}]}
// with 15 ticker / 17 quote / 21 full (+1 unsubscribes), at most 100 instruments a message, 12 = disconnect.
// Responses are little-endian binary packets behind an 8-byte header <BHBI: response code, message length,
// exchange segment code, security id. Ticker (2): <f LTP, I LTT>; quote (4): <f LTP, H LTQ, I LTT, f ATP,
// I volume, I sell qty, I buy qty, f open, f close, f high, f low>; previous close (6): <f close, I OI>;
// disconnect (50): <H reason> with 805 too many connections, 806 not subscribed, 807 token expired, 808 bad
// client id, 809 authentication failed.
import type { ExchangeSegment } from '@algodatta/broker-sdk';

export const FEED_REQUEST = { ticker: 15, quote: 17, full: 21, disconnect: 12 } as const;
export const FEED_RESPONSE = { ticker: 2, quote: 4, oi: 5, prevClose: 6, status: 7, full: 8, disconnect: 50 } as const;
export const MAX_INSTRUMENTS_PER_REQUEST = 100;

export const FEED_SEGMENT_CODE: Record<ExchangeSegment | 'IDX_I', number> = {
  IDX_I: 0,
  NSE_EQ: 1,
  NSE_FNO: 2,
  NSE_CURRENCY: 3,
  BSE_EQ: 4,
  MCX_COMM: 5,
  BSE_CURRENCY: 7,
  BSE_FNO: 8,
};
export const FEED_SEGMENT_BY_CODE: Record<number, ExchangeSegment | 'IDX_I'> = Object.fromEntries(
  Object.entries(FEED_SEGMENT_CODE).map(([k, v]) => [v, k]),
) as Record<number, ExchangeSegment | 'IDX_I'>;

export type FeedPacket =
  | { kind: 'ticker'; segment: number; securityId: string; ltp: number; ltt: number }
  | { kind: 'quote'; segment: number; securityId: string; ltp: number; ltq: number; ltt: number; volume: number }
  | { kind: 'prevClose'; segment: number; securityId: string; close: number }
  | { kind: 'disconnect'; reason: number }
  | { kind: 'other'; code: number };

function header(code: number, length: number, segment: number, securityId: string): Buffer {
  const b = Buffer.alloc(length);
  b.writeUInt8(code, 0);
  b.writeUInt16LE(length, 1);
  b.writeUInt8(segment, 3);
  b.writeUInt32LE(Number(securityId), 4);
  return b;
}

export function encodeTicker(segment: number, securityId: string, ltp: number, lttSeconds: number): Buffer {
  const b = header(FEED_RESPONSE.ticker, 16, segment, securityId);
  b.writeFloatLE(ltp, 8);
  b.writeUInt32LE(lttSeconds >>> 0, 12);
  return b;
}

export function encodeQuote(
  segment: number,
  securityId: string,
  q: { ltp: number; ltq: number; ltt: number; volume: number },
): Buffer {
  const b = header(FEED_RESPONSE.quote, 50, segment, securityId);
  b.writeFloatLE(q.ltp, 8);
  b.writeUInt16LE(Math.min(q.ltq, 0xffff), 12);
  b.writeUInt32LE(q.ltt >>> 0, 14);
  b.writeFloatLE(q.ltp, 18); // average traded price
  b.writeUInt32LE(q.volume >>> 0, 22);
  for (let off = 26; off < 50; off += 4) b.writeFloatLE(off < 34 ? 0 : q.ltp, off); // sell/buy qty 0, OHLC = ltp
  return b;
}

export function encodeDisconnect(reason: number): Buffer {
  const b = header(FEED_RESPONSE.disconnect, 10, 0, '0');
  b.writeUInt16LE(reason, 8);
  return b;
}

function decodeOne(b: Buffer): FeedPacket {
  const code = b.readUInt8(0);
  if (code === FEED_RESPONSE.disconnect && b.length >= 10) return { kind: 'disconnect', reason: b.readUInt16LE(8) };
  if (b.length < 8) return { kind: 'other', code };
  const segment = b.readUInt8(3);
  const securityId = String(b.readUInt32LE(4));
  if (code === FEED_RESPONSE.ticker && b.length >= 16)
    return { kind: 'ticker', segment, securityId, ltp: b.readFloatLE(8), ltt: b.readUInt32LE(12) };
  if ((code === FEED_RESPONSE.quote && b.length >= 50) || (code === FEED_RESPONSE.full && b.length >= 62)) {
    return {
      kind: 'quote',
      segment,
      securityId,
      ltp: b.readFloatLE(8),
      ltq: b.readUInt16LE(12),
      ltt: b.readUInt32LE(14),
      volume: b.readUInt32LE(22),
    };
  }
  if (code === FEED_RESPONSE.prevClose && b.length >= 12)
    return { kind: 'prevClose', segment, securityId, close: b.readFloatLE(8) };
  return { kind: 'other', code };
}

/** Decodes one WebSocket message; several packets back to back are split by their header length. */
export function decodeFeedMessage(data: Buffer): FeedPacket[] {
  const out: FeedPacket[] = [];
  let off = 0;
  while (off < data.length) {
    const rest = data.subarray(off);
    const len = rest.length >= 3 ? rest.readUInt16LE(1) : 0;
    if (len < 8 || len > rest.length) {
      out.push(decodeOne(rest));
      break;
    }
    out.push(decodeOne(rest.subarray(0, len)));
    off += len;
  }
  return out;
}

/** The JSON subscribe (or unsubscribe) messages for these instruments, 100 a message. */
export function subscriptionMessages(
  requestCode: number,
  instruments: { segment: string; securityId: string }[],
): string[] {
  const out: string[] = [];
  for (let i = 0; i < instruments.length; i += MAX_INSTRUMENTS_PER_REQUEST) {
    const batch = instruments.slice(i, i + MAX_INSTRUMENTS_PER_REQUEST);
    out.push(
      JSON.stringify({
        RequestCode: requestCode,
        InstrumentCount: batch.length,
        InstrumentList: batch.map((x) => ({ ExchangeSegment: x.segment, SecurityId: x.securityId })),
      }),
    );
  }
  return out;
}
