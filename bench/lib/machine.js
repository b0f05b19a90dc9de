// One line describing where the figures come from.
'use strict';

const os = require('node:os');
const { serverVersion } = require('./pg-admin');

async function machineLine() {
  const pg = await serverVersion().catch(() => 'unknown');
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  return `${new Date().toISOString()}, nproc=${os.cpus().length} (${os.cpus()[0]?.model ?? 'unknown'}), node ${process.version}, ` +
    `PostgreSQL ${pg}, load average ${load}`;
}

module.exports = { machineLine };
