// Public surface of @algodatta/broker-sdk. The conformance suite lives in `@algodatta/broker-sdk/conformance`.

export * from './enums';
export * from './models';
export * from './session.models';
export * from './account-controls.models';
export * from './bracket-order.models';
export * from './market-data.models';
export * from './errors';
export * from './manifest';
export * from './client';
export * from './define-broker';
export * from './load-plugin';
export * from './order-request.parse';
export * from './fill-deduper';
export * from './quantity-rule';
