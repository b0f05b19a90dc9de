// The conformance suite against the example plugin (examples/broker-example, outside the workspaces): the suite
// drives any plugin, and the example keeps every card it declares a capability for.
import path from 'node:path';
import { runBrokerConformance } from '@algodatta/broker-sdk/conformance';

const HARNESS = path.resolve(__dirname, '../../../examples/broker-example/test/conformance.harness.js');

runBrokerConformance({ name: 'example (examples/broker-example)', harness: require(HARNESS) });
