// has.marketData: 'stream'. Ticks of the instruments asked for, the last known price first.
'use strict';

const { exchange, keyOf } = require('../venue');
const { BROKER } = require('../wire');

module.exports = {
  subscribeQuotes(instruments, onTick) {
    const wanted = new Map(instruments.map((i) => [keyOf(i), i]));
    const tick = (key, price) => {
      const instrument = wanted.get(key);
      if (instrument)
        onTick({
          broker: BROKER,
          instrument: {
            symbol: instrument.symbol,
            exchangeSegment: instrument.exchangeSegment,
            ...(instrument.securityId && { securityId: instrument.securityId }),
          },
          lastPrice: price,
          ts: Date.now(),
        });
    };
    exchange.quoteListeners.add(tick);
    setImmediate(() => {
      for (const [key, instrument] of wanted) {
        const last = exchange.lastPrice(instrument);
        if (last && exchange.quoteListeners.has(tick)) tick(key, last);
      }
    });
    const unsubscribe = () => {
      exchange.quoteListeners.delete(tick);
      this.unsubscribes.delete(unsubscribe);
    };
    this.unsubscribes.add(unsubscribe);
    return unsubscribe;
  },
};
