// The benches' alert on one position: 1 RELIANCE at 2500, BUY and SELL in turn so the position stays small.
'use strict';

function alternatingAlert(secret, key, i) {
  return JSON.stringify({
    secret,
    idempotency_key: key,
    symbol: 'RELIANCE',
    side: i % 2 ? 'SELL' : 'BUY',
    qty: 1,
    price: 2500,
  });
}

module.exports = { alternatingAlert };
