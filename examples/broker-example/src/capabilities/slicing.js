// has.sliceOrders: a quantity above the contract's freeze limit (Instrument.freezeQuantity) goes as several legs of one
// clientOrderId, each with its own brokerOrderId.
'use strict';

const { Decimal, DuplicateOrderError, parseOrderRequest } = require('@algodatta/broker-sdk');
const { manifest } = require('../manifest');
const { exchange } = require('../venue');
const { BROKER, toError, toOrder, toWireOrder } = require('../wire');

module.exports = {
  async placeSlicedOrder(request) {
    const r = parseOrderRequest(request, manifest);
    const instrument = await this.getInstrument(r.instrument);
    const freeze = instrument?.freezeQuantity && new Decimal(instrument.freezeQuantity);
    const account = this.account();
    if (this.used(account, r.clientOrderId))
      throw new DuplicateOrderError(`${BROKER}: ${r.clientOrderId} was used already`, { broker: BROKER });
    const legs = [];
    for (let left = new Decimal(r.quantity); left.gt(0); left = left.minus(legs.at(-1)))
      legs.push(freeze ? Decimal.min(left, freeze) : left);
    const placed = [];
    for (const qty of legs) {
      const leg = exchange.place(account, { ...toWireOrder(r), qty: qty.toFixed() });
      if (leg.error) throw toError(leg.error);
      placed.push(toOrder(leg.order, this.accountId));
    }
    return placed;
  },
};
