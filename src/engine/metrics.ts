/**
 * The four DORA delivery measures of a window of history: deployment frequency, change failure
 * rate, time to restore and lead time for changes, each with its band, and a per-week series.
 * Pure: it reads change outlines (the store's `changesBetween`) and a time, nothing else.
 *
 * What counts:
 * - A deploy is a `deploy` that finished: succeeded, rolled back, rollback failed or failed. Refused,
 *   invalid and interrupted ones changed nothing; stops, restarts and rollbacks are not deploys.
 * - A deploy failed when it did not succeed, or when a rollback of its service started within
 *   ROLLBACK_WINDOW_MS of its verification, before any other deploy of that service finished.
 * - Time to restore runs from the failure (the deploy's start when it failed in its rollout, its
 *   verification when it was rolled back later) to the next verified good state: its own automatic
 *   rollback, else the next deploy or rollback of the service that succeeded.
 * - Lead time runs from a successful deploy's oldest new commit to its verification, where the
 *   deploy's changes are known.
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { DORA_BANDS, durationBand, failureRateBand, frequencyBand, median, type Band } from './metrics-bands';
import type { ChangeOutline } from './store-port';

export type { Band } from './metrics-bands';
export { DORA_BANDS } from './metrics-bands';

/** A deploy followed by a rollback this soon after its verification counts as failed. */
export const ROLLBACK_WINDOW_MS = 24 * 3600_000;
export const WEEK_MS = 7 * 24 * 3600_000;
/** The longest window the measures are asked for. */
export const MAX_WEEKS = 52;

const DEPLOY_OUTCOMES = new Set(['succeeded', 'rolled_back', 'rollback_failed', 'failed']);
/** A rollback that was started (whatever came of it) says its service's last deploy was bad. */
const STARTED_ROLLBACK = new Set(['succeeded', 'rolled_back', 'rollback_failed', 'failed', 'running']);

export interface WeekStats {
  /** ISO start (inclusive) and end (exclusive) of the week. */
  start: string;
  end: string;
  /** The start day, `Dec 1` (UTC). */
  label: string;
  deploys: number;
  succeeded: number;
  failed: number;
  /** Failed over all deploys of the week; null without deploys. */
  changeFailureRate: number | null;
}

export interface DeliveryMetrics {
  /** The one service asked for, else null (all the services in `services`). */
  service: string | null;
  services: string[];
  weeks: number;
  from: string;
  to: string;
  rollbackWindowHours: number;
  deploys: number;
  succeeded: number;
  failed: number;
  /** Successful deploys per week over the window. */
  deploysPerWeek: number;
  /** Failed over all deploys (0–1); null without deploys. */
  changeFailureRate: number | null;
  /** Median seconds from a failure to the next verified good state; null when nothing failed and was restored. */
  timeToRestoreSeconds: number | null;
  /** Median seconds from a deploy's oldest commit to its verification; null when no deploy's changes are known. */
  leadTimeSeconds: number | null;
  bands: {
    deploysPerWeek: Band;
    changeFailureRate: Band | null;
    timeToRestoreSeconds: Band | null;
    leadTimeSeconds: Band | null;
  };
  /** Failed deploys restored, and still waiting for a good state. */
  restores: { restored: number; unrestored: number };
  /** Successful deploys whose changes are known (lead time), and those whose changes are not. */
  leadTime: { known: number; unknown: number };
  /** Oldest week first. */
  series: WeekStats[];
}

export interface MetricsRequest {
  service: string | null;
  services: string[];
  weeks: number;
  /** The end of the window (epoch ms). */
  now: number;
}

/** The window the store is asked for: `weeks` whole weeks ending at `now`. */
export function metricsWindow(weeks: number, now: number): { from: string; to: string } {
  return { from: new Date(now - weeks * WEEK_MS).toISOString(), to: new Date(now + 1).toISOString() };
}

const at = (iso: string) => Date.parse(iso);
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Oldest first, then by id: ISO times of one format order as strings (no locale-aware comparison). */
export const byStart = (a: ChangeOutline, b: ChangeOutline) => compare(a.startedAt, b.startedAt) || compare(a.id, b.id);
const isDeploy = (c: ChangeOutline) => c.kind === 'deploy' && DEPLOY_OUTCOMES.has(c.outcome);

/**
 * The measures of `changes` (any order; those outside the window are ignored).
 * @param changes outlines of the window's changes, as `changesBetween` gives them
 */
export function computeDeliveryMetrics(changes: readonly ChangeOutline[], req: MetricsRequest): DeliveryMetrics {
  const { from, to } = metricsWindow(req.weeks, req.now);
  const inWindow = changes.filter((c) => c.startedAt >= from && c.startedAt < to).sort(byStart);
  const byService = groupByService(inWindow);
  const deploys = inWindow.filter(isDeploy);
  const failed = failedDeploys(byService);
  const successful = deploys.filter((d) => !failed.has(d.id));
  const restoreTimes = deploys
    .filter((d) => failed.has(d.id))
    .map((d) => restoreSeconds(d, byService.get(d.service) ?? []));
  const restored = restoreTimes.filter((s): s is number => s !== null);
  const leadTimes = successful.map(leadSeconds).filter((s): s is number => s !== null);
  const changeFailureRate = deploys.length ? round(failed.size / deploys.length, 4) : null;
  const timeToRestoreSeconds = roundOrNull(median(restored));
  const leadTimeSeconds = roundOrNull(median(leadTimes));
  const deploysPerWeek = round(successful.length / req.weeks, 2);
  return {
    service: req.service,
    services: req.services,
    weeks: req.weeks,
    from,
    to: new Date(req.now).toISOString(),
    rollbackWindowHours: ROLLBACK_WINDOW_MS / 3600_000,
    deploys: deploys.length,
    succeeded: successful.length,
    failed: failed.size,
    deploysPerWeek,
    changeFailureRate,
    timeToRestoreSeconds,
    leadTimeSeconds,
    bands: {
      deploysPerWeek: frequencyBand(deploysPerWeek),
      changeFailureRate: failureRateBand(changeFailureRate),
      timeToRestoreSeconds: durationBand(timeToRestoreSeconds, DORA_BANDS.timeToRestoreSeconds),
      leadTimeSeconds: durationBand(leadTimeSeconds, DORA_BANDS.leadTimeSeconds),
    },
    restores: { restored: restored.length, unrestored: restoreTimes.length - restored.length },
    leadTime: { known: leadTimes.length, unknown: successful.length - leadTimes.length },
    series: weeklySeries(deploys, failed, req),
  };
}

function groupByService(changes: readonly ChangeOutline[]): Map<string, ChangeOutline[]> {
  const groups = new Map<string, ChangeOutline[]>();
  for (const c of changes) {
    const group = groups.get(c.service);
    if (group) group.push(c);
    else groups.set(c.service, [c]);
  }
  return groups;
}

/** The ids of failed deploys: not succeeded, or rolled back soon after (see the module comment). */
function failedDeploys(byService: Map<string, ChangeOutline[]>): Set<string> {
  const failed = new Set<string>();
  for (const changes of byService.values()) {
    let last: ChangeOutline | undefined;
    // Oldest first: `last` is the service's latest deploy that finished before each rollback began.
    const finishedDeploys = changes
      .filter((c) => isDeploy(c) && c.finishedAt)
      .sort((a, b) => at(a.finishedAt ?? '') - at(b.finishedAt ?? ''));
    let next = 0;
    for (const c of changes) {
      if (isDeploy(c) && c.outcome !== 'succeeded') failed.add(c.id);
      if (c.kind !== 'rollback' || !STARTED_ROLLBACK.has(c.outcome)) continue;
      const started = at(c.startedAt);
      while (next < finishedDeploys.length && at(finishedDeploys[next].finishedAt ?? '') <= started)
        last = finishedDeploys[next++];
      const verifiedAt = last?.outcome === 'succeeded' && last.finishedAt ? at(last.finishedAt) : null;
      if (last && verifiedAt !== null && started - verifiedAt <= ROLLBACK_WINDOW_MS) failed.add(last.id);
    }
  }
  return failed;
}

/** Seconds from the deploy's failure to the next verified good state of its service; null while none came. */
function restoreSeconds(deploy: ChangeOutline, changes: readonly ChangeOutline[]): number | null {
  const laterRollback = deploy.outcome === 'succeeded';
  const failedAt = laterRollback && deploy.finishedAt ? at(deploy.finishedAt) : at(deploy.startedAt);
  if (deploy.outcome === 'rolled_back' && deploy.finishedAt) return seconds(at(deploy.finishedAt) - failedAt);
  const after = at(deploy.finishedAt ?? deploy.startedAt);
  const good = changes.find(
    (c) =>
      c.id !== deploy.id &&
      c.service === deploy.service &&
      (c.kind === 'deploy' || c.kind === 'rollback') &&
      c.outcome === 'succeeded' &&
      c.finishedAt !== null &&
      at(c.finishedAt) > after,
  );
  return good?.finishedAt ? seconds(at(good.finishedAt) - failedAt) : null;
}

/** Seconds from the deploy's oldest new commit to its verification; null when its changes are unknown. */
function leadSeconds(deploy: ChangeOutline): number | null {
  const oldest = deploy.changesSummary?.oldestCommitAt;
  if (!oldest || !deploy.finishedAt || Number.isNaN(at(oldest))) return null;
  // A commit dated after the deploy (a skewed clock) counts as no wait at all.
  return seconds(Math.max(0, at(deploy.finishedAt) - at(oldest)));
}

function weeklySeries(deploys: readonly ChangeOutline[], failed: Set<string>, req: MetricsRequest): WeekStats[] {
  const start = req.now - req.weeks * WEEK_MS;
  const counts = Array.from({ length: req.weeks }, () => ({ deploys: 0, failed: 0 }));
  for (const d of deploys) {
    const week = counts[Math.floor((at(d.startedAt) - start) / WEEK_MS)] as
      { deploys: number; failed: number } | undefined;
    if (!week) continue;
    week.deploys += 1;
    if (failed.has(d.id)) week.failed += 1;
  }
  return counts.map((week, i) => {
    const weekStart = start + i * WEEK_MS;
    return {
      start: new Date(weekStart).toISOString(),
      end: new Date(weekStart + WEEK_MS).toISOString(),
      label: format(new TZDate(weekStart, 'UTC'), 'MMM d'),
      deploys: week.deploys,
      succeeded: week.deploys - week.failed,
      failed: week.failed,
      changeFailureRate: week.deploys ? round(week.failed / week.deploys, 4) : null,
    };
  });
}

const seconds = (ms: number) => ms / 1000;
const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
const roundOrNull = (n: number | null) => (n === null ? null : Math.round(n));
