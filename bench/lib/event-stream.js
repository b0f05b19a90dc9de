// executionEvents over graphql-ws (the dashboard's transport), with a callback per event.
'use strict';

const WebSocket = require('ws');
const { createClient } = require('graphql-ws');

const QUERY = 'subscription($s: ID) { executionEvents(strategyId: $s) { type executionId alertId correlationId at } }';

// Resolves once the server has acknowledged the connection; events go to onEvent(event, receivedAtHrtime)
async function subscribeExecutionEvents(wsUrl, token, strategyId, onEvent) {
  let failed;
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    on: {
      error: (error) => {
        failed = error;
      },
    },
  });
  await new Promise((resolve, reject) => {
    const off = client.on('connected', () => {
      off();
      resolve();
    });
    client.on('closed', (e) =>
      reject(failed ?? new Error(`subscription socket closed: ${e?.code ?? ''} ${e?.reason ?? ''}`)),
    );
  });
  let errored;
  const unsubscribe = client.subscribe(
    { query: QUERY, variables: { s: strategyId } },
    {
      next: (msg) => {
        if (msg.data?.executionEvents) onEvent(msg.data.executionEvents, process.hrtime.bigint());
      },
      error: (error) => {
        errored = error;
      },
      complete: () => undefined,
    },
  );
  // graphql-ws sends `subscribe` without waiting for an answer: give the server a moment to register it
  await new Promise((r) => setTimeout(r, 200));
  if (errored) throw new Error(`subscription failed: ${JSON.stringify(errored)}`);
  return {
    error: () => errored,
    async close() {
      unsubscribe();
      await client.dispose();
    },
  };
}

module.exports = { subscribeExecutionEvents };
