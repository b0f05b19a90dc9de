export { startDhanSimulator } from './sim-server';
export type { DhanSimulator, DhanSimulatorOptions, RecordedRequest, PostbackDelivery } from './sim-server';
export type { SimFault, SimFaultKind } from './sim-faults';
export type { SimStaticIps } from './sim-controls';
export type { SimInstrument } from './sim-book';
export { startDhanSimulators } from './sim-accounts';
export type { DhanSimAccount, DhanSimulators } from './sim-accounts';
