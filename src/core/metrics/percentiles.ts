// Percentiles by the nearest-rank method: the p-th percentile of n sorted values is the value at rank ⌈p/100 × n⌉
// (1-based), so it is always one of the observed values (no interpolation), p100 is the largest, and with fewer than
// 100 values p99 is the largest too. The same definition as NIST's "nearest rank" and Wikipedia's first method.

/** The p-th percentile (0 < p ≤ 100) of values sorted ascending; undefined when there are none. */
export function percentileOfSorted(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0 || !(p > 0) || p > 100) return undefined;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export interface PercentileSummary {
  count: number;
  p50?: number;
  p95?: number;
  p99?: number;
}

/** p50, p95 and p99 of `values` (any order; non-finite values are left out). One sort: O(n log n). */
export function summarize(values: Iterable<number>): PercentileSummary {
  const sorted = [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const out: PercentileSummary = { count: sorted.length };
  if (sorted.length === 0) return out;
  out.p50 = percentileOfSorted(sorted, 50);
  out.p95 = percentileOfSorted(sorted, 95);
  out.p99 = percentileOfSorted(sorted, 99);
  return out;
}
