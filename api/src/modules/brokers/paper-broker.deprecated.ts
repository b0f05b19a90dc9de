// Transitional (issue 13): the paper venue's name, for the execution files that still compare broker names. The
// registry says it: brokers.paperBroker() (where PAPER orders go) and brokers.fillsOnPlacement(name) (what the
// executor really asks). Delete this file once nothing imports it.
/** @deprecated ask the registry: brokers.paperBroker() */
export const PAPER_BROKER = 'paper';
