/** Small statistics for the benchmark: percentiles, medians over runs, rates over windows. */

/** A figure measured over several runs. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** The value of each run, in run order. */
  runs: number[];
}

/**
 * The p-th percentile (0–100) by the nearest-rank method: the smallest value with at least p% of
 * the values at or below it. NaN for an empty list.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((Math.min(100, Math.max(0, p)) / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)];
}

/** The median: the middle value, or the mean of the two middle ones. NaN for an empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median, min and max of per-run values (NaN runs, i.e. runs that measured nothing, are left out). */
export function spread(runs: readonly number[]): Spread {
  const valid = runs.filter((v) => Number.isFinite(v));
  return {
    median: round(median(valid)),
    min: valid.length ? round(Math.min(...valid)) : Number.NaN,
    max: valid.length ? round(Math.max(...valid)) : Number.NaN,
    runs: runs.map(round),
  };
}

/** Rounds to 2 decimals (enough for ms and calls per second). */
export function round(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 100) / 100 : value;
}

/**
 * The most events that fall in any window of `windowMs` (a sliding window anchored at each event):
 * "the largest number of updates of one message in any one second".
 */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while (sorted[end] - sorted[start] >= windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** Counts items by a key, keys sorted for stable output. */
export function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const k = key(item);
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** Per-key spreads from per-run count maps (a key missing from a run counts 0 there). */
export function spreadByKey(runs: readonly Record<string, number>[]): Record<string, Spread> {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r)))].sort();
  return Object.fromEntries(keys.map((k) => [k, spread(runs.map((r) => r[k] ?? 0))]));
}
