import { randomUUID } from 'node:crypto';

// A TradingView-like stream for the demo strategies: each one goes long and back to flat in turn (the messages
// carry market_position and position_size as the deployed alert message does), prices walk, a few alerts a
// second across strategies; now and then TradingView's resend of the same alert (200 duplicate) and a broken
// message (400 invalid_payload: an unreplaced placeholder), so every answer shows up in the dashboard and logs.
export function* alertStream(strategies, { startPrices, seed = 1 }) {
  let random = seed;
  const next = () => {
    random = (random * 16807) % 2147483647;
    return random / 2147483647;
  };
  const state = new Map(strategies.map((s) => [s.id, { long: false, price: startPrices[s.symbol] ?? 1000 }]));
  let previous;
  for (let n = 1; ; n += 1) {
    if (n % 9 === 0 && previous) {
      yield { kind: 'resend', strategy: previous.strategy, alert: previous.alert };
      continue;
    }
    const strategy = strategies[n % strategies.length];
    if (n % 13 === 0) {
      yield {
        kind: 'bad',
        strategy,
        alert: {
          secret: strategy.secret,
          idempotency_key: randomUUID(),
          symbol: strategy.symbol,
          side: '{{strategy.order.action}}',
          qty: 1,
        },
      };
      continue;
    }
    const s = state.get(strategy.id);
    // A random walk in ticks of 0.05, within 0.4% a step
    s.price = Math.max(1, Math.round(s.price * (1 + (next() - 0.5) * 0.008) * 20) / 20);
    s.long = !s.long;
    const alert = {
      secret: strategy.secret,
      idempotency_key: `demo-${strategy.symbol}-${randomUUID()}`,
      symbol: `NSE:${strategy.symbol}`,
      side: s.long ? 'buy' : 'sell',
      qty: String(strategy.qty),
      market_position: s.long ? 'long' : 'flat',
      position_size: s.long ? strategy.qty : 0,
      order_type: 'MARKET',
      price: s.price.toFixed(2),
      timeframe: '5',
      extras: { source: 'AlgoDatta demo', note: s.long ? 'Breakout entry' : 'Exit to flat' },
    };
    previous = { strategy, alert };
    yield { kind: 'signal', strategy, alert };
  }
}
