// The baseline server (baseline-server.js) as a child process on its own fresh database, dropped at stop().
'use strict';

const path = require('node:path');
const { createDatabase, dropDatabase } = require('./pg-admin');
const { freePort } = require('./free-port');
const { startChild, waitReady, stopChild } = require('./child-process');

async function startBaseline() {
  const db = await createDatabase('bench_baseline');
  let handle;
  try {
    const port = await freePort();
    handle = startChild('baseline', [path.join(__dirname, 'baseline-server.js')], {
      DATABASE_URL: db.url,
      PORT: String(port),
    });
    await waitReady(handle, `http://127.0.0.1:${port}/readyz`);
    return {
      url: `http://127.0.0.1:${port}`,
      pid: handle.child.pid,
      dbName: db.name,
      output: handle.output,
      async stop() {
        try {
          await stopChild(handle);
        } finally {
          await dropDatabase(db.name);
        }
      },
    };
  } catch (error) {
    if (handle) await stopChild(handle, 1000);
    await dropDatabase(db.name);
    throw error;
  }
}

module.exports = { startBaseline };
