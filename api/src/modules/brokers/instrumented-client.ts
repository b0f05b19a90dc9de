import { BrokerClient, isBrokerError } from '@algodatta/broker-sdk';
import { metrics } from '../../metrics/metrics';

// The client calls that go to the broker; each is timed, and a failure is counted by its error code
const TIMED = new Set<string>([
  'placeOrder',
  'modifyOrder',
  'cancelOrder',
  'getOrder',
  'listOrders',
  'listFills',
  'positions',
  'holdings',
  'funds',
  'profile',
  'searchInstruments',
  'getInstrument',
]);

// The same client with every broker call measured (algodatta_broker_request_seconds, algodatta_broker_errors_total).
// Calls run on the real client, so plugins with private fields keep working.
export function instrumentBrokerClient(broker: string, client: BrokerClient): BrokerClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (typeof prop !== 'string' || !TIMED.has(prop)) return fn.bind(target);
      return (...args: unknown[]) => {
        const started = performance.now();
        const done = (code?: string) => metrics.brokerRequest(broker, prop, (performance.now() - started) / 1000, code);
        let result: unknown;
        try {
          result = fn.apply(target, args);
        } catch (error) {
          done(errorCode(error));
          throw error;
        }
        if (!(result instanceof Promise)) {
          done();
          return result;
        }
        return result.then(
          (value) => {
            done();
            return value;
          },
          (error: unknown) => {
            done(errorCode(error));
            throw error;
          },
        );
      };
    },
  });
}

function errorCode(error: unknown): string {
  return isBrokerError(error) ? error.code : 'UNEXPECTED';
}
