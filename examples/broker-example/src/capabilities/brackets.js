// has.bracketOrders: entry + target + stop-loss held by the exchange; the target and the stop-loss cancel each other.
'use strict';

const {
  DuplicateOrderError,
  InvalidOrderError,
  OrderNotFoundError,
  bracketOrderRequestSchema,
} = require('@algodatta/broker-sdk');
const { exchange, TERMINAL } = require('../venue');
const { BROKER, KIND, SIDE, SIDE_NAME, toError } = require('../wire');

const STATUS = { OPEN: 'open', TRIGGER_PENDING: 'open', DONE: 'filled', CANCELLED: 'cancelled', REJECTED: 'rejected' };

function legOf(name, order, fallback) {
  if (!order) return { leg: name, ...fallback, status: 'pending_submit', filledQuantity: '0' };
  return {
    leg: name,
    brokerOrderId: order.order_id,
    side: SIDE_NAME[order.side],
    quantity: order.qty,
    status: STATUS[order.status],
    filledQuantity: order.filled_qty,
    ...((order.price ?? order.trigger) !== null && { price: order.price ?? order.trigger }),
  };
}

// The bracket as the SDK sees it: the entry's state until it fills, then active until an exit fills
function toBracket(client, account, bracket) {
  const entry = account.orders.get(bracket.entry);
  const target = bracket.target && account.orders.get(bracket.target);
  const stop = bracket.stop && account.orders.get(bracket.stop);
  const exit = SIDE_NAME[entry.side === 'B' ? 'S' : 'B'];
  let status =
    { OPEN: 'open', TRIGGER_PENDING: 'open', CANCELLED: 'cancelled', REJECTED: 'rejected' }[entry.status] ?? 'active';
  if (entry.status === 'DONE') {
    if ([target, stop].some((o) => o?.status === 'DONE')) status = 'closed';
    else if ([target, stop].every((o) => !o || TERMINAL.has(o.status)) && (target || stop)) status = 'cancelled';
  }
  return {
    clientOrderId: bracket.client_ref,
    brokerOrderId: bracket.bracket_id,
    broker: BROKER,
    accountId: client.accountId,
    instrument: entry.instrument,
    side: SIDE_NAME[entry.side],
    product: entry.product,
    quantity: entry.qty,
    status,
    legs: [
      legOf('entry', entry),
      legOf('target', target, { side: exit, quantity: entry.qty, price: bracket.target_price }),
      legOf('stopLoss', stop, {
        side: exit,
        quantity: entry.qty,
        price: bracket.stop_price,
        ...(bracket.trailing_jump && { trailingJump: bracket.trailing_jump }),
      }),
    ],
    createdAt: entry.created_at,
    updatedAt: Math.max(entry.updated_at, target?.updated_at ?? 0, stop?.updated_at ?? 0),
    raw: bracket,
  };
}

function findBracket(account, ref) {
  const bracket = [...account.brackets.values()].find(
    (b) => b.client_ref === ref.clientOrderId && (!ref.brokerOrderId || b.bracket_id === ref.brokerOrderId),
  );
  if (!bracket) throw new OrderNotFoundError(`${BROKER}: no bracket ${ref.clientOrderId}`, { broker: BROKER });
  return bracket;
}

module.exports = {
  async placeBracketOrder(request) {
    const parsed = bracketOrderRequestSchema.safeParse(request);
    if (!parsed.success)
      throw new InvalidOrderError(
        `${BROKER}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        { broker: BROKER },
      );
    const r = parsed.data;
    if (r.type === 'LIMIT' && r.price === undefined)
      throw new InvalidOrderError(`${BROKER}: a LIMIT entry needs a price`, { broker: BROKER });
    const account = this.account();
    if (this.used(account, r.clientOrderId))
      throw new DuplicateOrderError(`${BROKER}: ${r.clientOrderId} was used already`, { broker: BROKER });
    const placed = exchange.placeBracket(account, {
      client_ref: r.clientOrderId,
      target_price: r.targetPrice,
      stop_price: r.stopLossPrice,
      trailing_jump: r.trailingJump,
      entry: {
        instrument: r.instrument,
        side: SIDE[r.side],
        kind: KIND[r.type],
        product: r.product,
        qty: r.quantity,
        ...(r.price && { price: r.price }),
      },
    });
    if (placed.error) throw toError(placed.error);
    return toBracket(this, account, placed.bracket);
  },

  async getBracketOrder(ref) {
    const account = this.account();
    return toBracket(this, account, findBracket(account, ref));
  },

  // Entry: price or quantity while it works; target: its price; stop-loss: its trigger (and trailing jump)
  async modifyBracketOrder(ref, leg, patch) {
    const account = this.account();
    const bracket = findBracket(account, ref);
    const id = { entry: bracket.entry, target: bracket.target, stopLoss: bracket.stop }[leg];
    const order = id && account.orders.get(id);
    if (leg === 'stopLoss' && patch.trailingJump !== undefined) bracket.trailing_jump = patch.trailingJump;
    if (patch.price !== undefined || patch.quantity !== undefined) {
      if (!order) {
        if (leg === 'target') bracket.target_price = patch.price ?? bracket.target_price;
        if (leg === 'stopLoss') bracket.stop_price = patch.price ?? bracket.stop_price;
      } else {
        const field = leg === 'stopLoss' ? 'trigger' : 'price';
        const changed = exchange.modify(account, order, {
          ...(patch.price !== undefined && { [field]: patch.price }),
          ...(patch.quantity !== undefined && { qty: patch.quantity }),
        });
        if (changed.error) throw toError(changed.error, `the ${leg} leg is no longer open`);
      }
    }
    return toBracket(this, account, bracket);
  },

  // Cancelling the entry cancels the whole bracket (its working exits too); an exit leg alone cannot be added back
  async cancelBracketOrder(ref, leg = 'entry') {
    const account = this.account();
    const bracket = findBracket(account, ref);
    const ids =
      leg === 'entry'
        ? [bracket.entry, bracket.target, bracket.stop]
        : [{ target: bracket.target, stopLoss: bracket.stop }[leg]];
    for (const id of ids) {
      const order = id && account.orders.get(id);
      if (order && !TERMINAL.has(order.status)) exchange.cancel(account, order);
    }
    return toBracket(this, account, bracket);
  },
};
