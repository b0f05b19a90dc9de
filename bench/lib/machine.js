// One line describing where the figures come from.
'use strict';

const os = require('node:os');
const { createHash } = require('node:crypto');
const { serverVersion } = require('./pg-admin');

// The speed of this core right now: a fixed CPU-only workload. On a shared virtual machine the same code runs
// up to ~1.5x slower from one minute to the next; compare runs only when this figure is close.
function cpuCalibrationMs() {
  const start = process.hrtime.bigint();
  let x = 'calibration';
  for (let i = 0; i < 100_000; i++) x = createHash('sha256').update(x).digest('hex');
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function machineLine() {
  const pg = await serverVersion().catch(() => 'unknown');
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return (
    `${new Date().toISOString()}, nproc=${os.cpus().length} (${os.cpus()[0]?.model ?? 'unknown'}), node ${process.version}, ` +
    `PostgreSQL ${pg}, load average ${load}, cpu calibration ${cpuCalibrationMs().toFixed(0)} ms (100k sha256, lower is faster)`
  );
}

module.exports = { machineLine };
