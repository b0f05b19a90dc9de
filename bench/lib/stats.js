// Latency summaries: nearest-rank percentiles over millisecond samples.
'use strict';

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

function summarize(samples) {
  const sorted = Float64Array.from(samples).sort();
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

const ms = (v) => (Number.isFinite(v) ? `${v.toFixed(2)} ms` : 'n/a');

// Milliseconds since an earlier process.hrtime.bigint()
const sinceMs = (start) => Number(process.hrtime.bigint() - start) / 1e6;

module.exports = { percentile, summarize, ms, sinceMs };
