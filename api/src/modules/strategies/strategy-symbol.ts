import { quantityUnitFor } from '@algodatta/broker-sdk';

// "NSE:RELIANCE" -> RELIANCE; TradingView continuous futures "NATURALGAS1!" -> NATURALGAS
export function normalizeTicker(raw: string): string {
  const ticker = raw.includes(':') ? raw.slice(raw.lastIndexOf(':') + 1) : raw;
  return ticker.replace(/\d!$/, '').toUpperCase();
}

// `own`: the strategy's own symbol (its security id override applies), not one of its allowedSymbols
export type SymbolMatch = { ok: true; symbol: string; own: boolean } | { ok: false; message: string };

type SymbolSettings = { symbol: string; exchangeSegment: string; allowedSymbols?: readonly string[] };

// The same instrument in TradingView's spelling: exchange prefix and continuous-contract suffix aside, and for a
// derivative strategy named by its contract (NIFTY-Jun2026-FUT) the underlying TradingView charts (NIFTY1!)
function sameInstrument(ticker: string, symbol: string, exchangeSegment: string): boolean {
  const own = normalizeTicker(symbol);
  return (
    ticker === own ||
    (quantityUnitFor(exchangeSegment) === 'lots' && own.includes('-') && ticker === own.slice(0, own.indexOf('-')))
  );
}

// Which symbol an alert trades. An alert trades its strategy's symbol (no symbol in the alert means that one too),
// spelled as the strategy spells it so every alert of the strategy lands in one position; another symbol only when
// the strategy lists it in allowedSymbols (a deliberately multi-symbol strategy), each in a position of its own.
// Anything else is refused: an INFY alert sent to a RELIANCE strategy bought INFY at the alert's price.
export function symbolForAlert(strategy: SymbolSettings, alertSymbol: string | undefined): SymbolMatch {
  if (alertSymbol === undefined) return { ok: true, symbol: strategy.symbol, own: true };
  const ticker = normalizeTicker(alertSymbol);
  if (sameInstrument(ticker, strategy.symbol, strategy.exchangeSegment))
    return { ok: true, symbol: strategy.symbol, own: true };
  const allowed = (strategy.allowedSymbols ?? []).find((s) => sameInstrument(ticker, s, strategy.exchangeSegment));
  if (allowed) return { ok: true, symbol: normalizeTicker(allowed), own: false };
  const others = strategy.allowedSymbols?.length ? ` or ${strategy.allowedSymbols.join(', ')}` : '';
  return {
    ok: false,
    message: `the alert is for ${ticker} but this strategy trades ${strategy.symbol}${others}; list other symbols in the strategy's allowedSymbols to trade them`,
  };
}
