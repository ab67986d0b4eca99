/**
 * The DORA performance bands (elite, high, medium, low) of the four delivery measures, with the
 * thresholds of the 2023 Accelerate State of DevOps report (DORA), and the small statistics the
 * measures need. Pure.
 */

export type Band = 'elite' | 'high' | 'medium' | 'low';

const HOUR_S = 3600;
const DAY_S = 24 * HOUR_S;

/**
 * Upper bounds of each band, best band first. Deployment frequency: on demand (daily or more
 * often) is elite, at least weekly high, at least monthly medium. Lead time: under a day, a week,
 * a month. Change failure rate: the clusters' 5 %, 10 % and 15 %. Time to restore: under an hour,
 * a day, a week.
 */
export const DORA_BANDS = {
  /** Successful deploys per week, at least. */
  deploysPerWeek: { elite: 7, high: 1, medium: 12 / 52 },
  /** Seconds, less than. */
  leadTimeSeconds: { elite: DAY_S, high: 7 * DAY_S, medium: 30 * DAY_S },
  /** Fraction of deploys, at most. */
  changeFailureRate: { elite: 0.05, high: 0.1, medium: 0.15 },
  /** Seconds, less than. */
  timeToRestoreSeconds: { elite: HOUR_S, high: DAY_S, medium: 7 * DAY_S },
} as const;

export function frequencyBand(deploysPerWeek: number): Band {
  const b = DORA_BANDS.deploysPerWeek;
  if (deploysPerWeek >= b.elite) return 'elite';
  if (deploysPerWeek >= b.high) return 'high';
  return deploysPerWeek >= b.medium ? 'medium' : 'low';
}

export function failureRateBand(rate: number | null): Band | null {
  if (rate === null) return null;
  const b = DORA_BANDS.changeFailureRate;
  if (rate <= b.elite) return 'elite';
  if (rate <= b.high) return 'high';
  return rate <= b.medium ? 'medium' : 'low';
}

/** The band of a duration measure (lead time, time to restore): below each bound in turn. */
export function durationBand(
  seconds: number | null,
  bounds: { elite: number; high: number; medium: number },
): Band | null {
  if (seconds === null) return null;
  if (seconds < bounds.elite) return 'elite';
  if (seconds < bounds.high) return 'high';
  return seconds < bounds.medium ? 'medium' : 'low';
}

/** The median of `values`, or null when there are none. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
