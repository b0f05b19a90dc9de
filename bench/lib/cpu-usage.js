// CPU seconds spent by the bench itself, one child (the server under test) and all PostgreSQL backends, read
// from /proc (Linux). On a 2-core box this shows who the cores went to during a phase.
'use strict';

const fs = require('node:fs');
const os = require('node:os');

const TICK = 100; // USER_HZ on Linux

function procCpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICK; // utime + stime
  } catch {
    return 0;
  }
}

// Per-pid CPU of the PostgreSQL processes that work for `database` (backends show it in their command line)
// plus the server's shared processes (WAL writer, checkpointer, ...); other databases' backends are left out.
function postgresCpu(database) {
  const byPid = new Map();
  let dirs = [];
  try {
    dirs = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return byPid;
  }
  for (const pid of dirs) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const backend = /\(\d+\)|\[local\]/.test(cmd); // client backends name their peer: 127.0.0.1(59328)
      if (backend && !(database && cmd.includes(` ${database} `))) continue;
      byPid.set(pid, procCpuSeconds(pid));
    } catch {
      // the process ended between readdir and read
    }
  }
  return byPid;
}

// database: the name of the database the server under test uses
function snapshot(childPid, database) {
  const self = process.cpuUsage();
  return {
    at: process.hrtime.bigint(),
    bench: (self.user + self.system) / 1e6,
    server: childPid ? procCpuSeconds(childPid) : 0,
    postgres: postgresCpu(database),
  };
}

// Share of the machine's cores (100 % = every core busy) used by each party between two snapshots.
// PostgreSQL processes that exit inside the window are not counted.
function usageBetween(a, b) {
  const wall = Number(b.at - a.at) / 1e9;
  const cores = os.cpus().length;
  const pct = (x) => (100 * x) / (wall * cores);
  let pg = 0;
  for (const [pid, cpu] of b.postgres) pg += cpu - (a.postgres.get(pid) ?? 0);
  return { bench: pct(b.bench - a.bench), server: pct(b.server - a.server), postgres: pct(pg) };
}

const fmtUsage = (u) =>
  `cpu of ${os.cpus().length} cores: server ${u.server.toFixed(0)} %, postgres ${u.postgres.toFixed(0)} %, load generator ${u.bench.toFixed(0)} %`;

module.exports = { snapshot, usageBetween, fmtUsage };
