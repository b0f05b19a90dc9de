#!/usr/bin/env node
// Summarizes a V8 .cpuprofile (from node --cpu-prof): self time by function and by package, heaviest first.
// skipMs drops the first milliseconds of the profile (start-up: module loading, migrations, schema build).
//   node bench/lib/profile-summary.js /tmp/prof/CPU.*.cpuprofile [top=25] [skipMs=0]
'use strict';

const fs = require('node:fs');

function summarizeProfile(file, top = 25, skipMs = 0) {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  const deltas = prof.timeDeltas;
  let t = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    t += deltas[i] ?? 0;
    if (t < skipMs * 1000) continue;
    selfUs.set(prof.samples[i], (selfUs.get(prof.samples[i]) ?? 0) + (deltas[i] ?? 0));
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  // Each sample charged to the nearest frame of our own code on its stack (api/dist or plugins/*/dist)
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const own = (f) => /\/(api|plugins\/[^/]+)\/dist\//.test(f.url);
  const callers = new Map();
  for (const [id, us] of selfUs) {
    let cur = id;
    while (cur !== undefined && !own(byId.get(cur).callFrame)) cur = parent.get(cur);
    const f = cur === undefined ? null : byId.get(cur).callFrame;
    const key = f
      ? `${f.functionName || '(anonymous)'} ${f.url.split('/dist/')[1]}:${f.lineNumber + 1}`
      : byId.get(id).callFrame.functionName === '(idle)'
        ? '(idle)'
        : '(no own frame on the stack)';
    callers.set(key, (callers.get(key) ?? 0) + us);
  }
  const fns = new Map();
  const pkgs = new Map();
  for (const [id, us] of selfUs) {
    const { callFrame: f } = byId.get(id);
    const where = f.url.replace(/^file:\/\//, '');
    const fn = `${f.functionName || '(anonymous)'} ${where.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
    const m = where.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    const pkg = m
      ? m[1]
      : where.includes('/api/dist/')
        ? 'api (our code)'
        : where.includes('/plugins/')
          ? 'plugins (our code)'
          : where.startsWith('node:')
            ? 'node core'
            : f.functionName.startsWith('(')
              ? f.functionName
              : 'other';
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
  }
  const rank = (m) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)} %  ${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`,
      );
  return { totalMs: total / 1000, packages: rank(pkgs), functions: rank(fns), ownCallers: rank(callers) };
}

if (require.main === module) {
  const s = summarizeProfile(process.argv[2], Number(process.argv[3] || 25), Number(process.argv[4] || 0));
  console.log(
    `sampled ${s.totalMs.toFixed(0)} ms\nby package:\n${s.packages.join('\n')}\nby function:\n${s.functions.join('\n')}` +
      `\nby nearest own-code frame:\n${s.ownCallers.join('\n')}`,
  );
}

module.exports = { summarizeProfile };
