// has.instrumentMaster: the exchange's contract list (instruments.csv) as normalized instruments, and which contract a
// TradingView ticker means. The host stores what `download` returns and hands rows back to `resolve` through
// `store.find`, so resolution never downloads anything.
'use strict';

const { readFile } = require('node:fs/promises');
const { parseTradingViewSymbol } = require('@algodatta/broker-sdk');

// The exchange closes at 15:30 IST (10:00 UTC); a contract trades until then on its expiry day
const expiresAt = (date) => Date.parse(`${date}T10:00:00Z`);

/*
 * One row of the exchange's CSV:
 * security_id,segment,exchange,symbol,underlying,type,series,lot_size,tick_size,expiry,freeze_qty,name
 * 2001,NSE_FNO,NSE,EXIDX-24JUN2098-FUT,EXIDX,FUTURE,,50,0.05,2098-06-24,900,Example Index Jun 2098
 */
function parseMaster(csv) {
  const [header, ...lines] = csv.trim().split(/\r?\n/);
  const columns = header.split(',');
  return lines.filter(Boolean).map((line) => {
    const cells = line.split(',');
    const row = Object.fromEntries(columns.map((c, i) => [c, (cells[i] ?? '').trim()]));
    const instrument = {
      symbol: row.symbol,
      exchangeSegment: row.segment,
      securityId: row.security_id,
      exchange: row.exchange,
      lotSize: row.lot_size,
      tickSize: row.tick_size,
      instrumentType: row.type,
      name: row.name,
      // The plugin's own row: the host stores it and never reads it
      raw: row,
    };
    if (row.underlying) instrument.underlying = row.underlying;
    if (row.series) instrument.series = row.series;
    if (row.expiry) Object.assign(instrument, { expiry: row.expiry, expiresAt: expiresAt(row.expiry) });
    if (row.freeze_qty) instrument.freezeQuantity = row.freeze_qty;
    return instrument;
  });
}

async function loadMaster(source, fetchImpl = fetch, signal) {
  if (/^https?:\/\//i.test(source)) {
    const res = await fetchImpl(source, { signal });
    if (!res.ok) throw new Error(`example: instrument master HTTP ${res.status} from ${source}`);
    return parseMaster(await res.text());
  }
  return parseMaster(await readFile(source, 'utf8'));
}

const fail = (reason, message, candidates) => ({
  ok: false,
  reason,
  message: `example: ${message}`,
  ...(candidates && { candidates }),
});
const inScope = (lookup) => (r) => !lookup.exchangeSegment || r.exchangeSegment === lookup.exchangeSegment;

/**
 * - an explicit contract: `securityId` (the strategy's override), or its trading symbol (rejected once expired);
 * - a share by symbol, its main series (EQ) only;
 * - a continuous future, EXIDX or EXIDX1! (the nearest unexpired contract), EXIDX2! (the next one).
 */
async function resolve(lookup, store) {
  if (lookup.securityId) {
    const [hit] = (await store.find({ securityIds: [lookup.securityId] })).filter(inScope(lookup));
    return hit ? { ok: true, instrument: hit } : fail('unknown_symbol', `no contract ${lookup.securityId}`);
  }
  const { base, nth } = parseTradingViewSymbol(lookup.symbol);
  const rows = (await store.find({ tradingSymbols: [base], underlyings: [base] })).filter(inScope(lookup));
  if (nth === null) {
    const exact = rows.filter((r) => r.symbol.toUpperCase() === base);
    const share = exact.filter((r) => r.instrumentType === 'EQUITY' && r.series === 'EQ');
    if (share.length === 1) return { ok: true, instrument: share[0] };
    const contract = exact.find((r) => r.instrumentType !== 'EQUITY');
    if (contract) {
      if (contract.expiresAt !== undefined && contract.expiresAt <= store.now)
        return fail('expired_contract', `${contract.symbol} expired on ${contract.expiry}`);
      return { ok: true, instrument: contract };
    }
  }
  const futures = rows
    .filter((r) => r.instrumentType === 'FUTURE' && r.underlying?.toUpperCase() === base && r.expiresAt > store.now)
    .sort((a, b) => a.expiresAt - b.expiresAt);
  if (futures.length === 0) return fail('unknown_symbol', `unknown symbol "${lookup.symbol}"`);
  const segments = new Set(futures.map((r) => r.exchangeSegment));
  if (segments.size > 1)
    return fail(
      'ambiguous_symbol',
      `"${lookup.symbol}" has futures on ${[...segments].join(', ')}`,
      futures.map((r) => r.symbol),
    );
  const pick = futures[nth ?? 0];
  return pick
    ? { ok: true, instrument: pick }
    : fail('unknown_symbol', `"${lookup.symbol}": only ${futures.length} unexpired contract(s)`);
}

/** The plugin-level instrument master (definition.instruments). */
function instrumentMaster(options) {
  return {
    source: options.instrumentsSource,
    refreshCron: options.instrumentsRefreshCron,
    download: ({ fetch: fetchImpl, signal }) => loadMaster(options.instrumentsSource, fetchImpl, signal),
    resolve,
  };
}

module.exports = { instrumentMaster, loadMaster, parseMaster };
