import { secs } from '../clock';
import { ReadFailures } from './transient';
import type { Clock } from '../ports';
import type { TargetHealth } from '../types';

/** States that say nothing about the new tasks: leaving targets of the old ones. */
const IGNORED = new Set(['draining', 'unhealthy.draining', 'unused']);

export function countTargets(targets: TargetHealth[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of targets) counts[t.state] = (counts[t.state] ?? 0) + 1;
  return counts;
}

export function describeTargetCounts(targets: TargetHealth[]): string {
  const counts = countTargets(targets);
  const parts = Object.entries(counts).map(([state, n]) => `${n} ${state}`);
  return parts.length ? parts.join(', ') : 'no targets registered';
}

export type TargetVerdict =
  { ok: true; targets: TargetHealth[]; note?: string } | { ok: false; targets: TargetHealth[]; reason: string };

/**
 * Waits until the target group has at least `expected` healthy targets and none initial or
 * unhealthy (draining ones are ignored). Exact state comparison: `unhealthy` is never `healthy`.
 * An `unhealthy` verdict must hold for `unhealthyRounds` consecutive polls before it fails.
 */
export async function waitForHealthyTargets(o: {
  read: () => Promise<TargetHealth[]>;
  expected: number;
  clock: Clock;
  timeoutMs: number;
  pollMs: number;
  signal?: AbortSignal;
  unhealthyRounds?: number;
  onChange: (targets: TargetHealth[]) => void;
}): Promise<TargetVerdict> {
  const started = o.clock.now();
  let lastKey = '';
  let targets: TargetHealth[] = [];
  const streaks = { unhealthy: 0, fewer: 0 };
  const failures = new ReadFailures(o.clock, o.pollMs);
  for (;;) {
    try {
      targets = await o.read();
      failures.succeeded();
    } catch (error) {
      // Throttling, 5xx, resets and timeouts are waited out within the timeout; a definite answer (denied, not found) is not.
      const ends = failures.failed(error);
      const unread = failures.describe('target health') ?? 'could not read target health';
      if (ends) return { ok: false, targets, reason: unread };
      if (o.signal?.aborted) return { ok: false, targets, reason: 'cancelled' };
      if (o.clock.now() - started >= o.timeoutMs)
        return {
          ok: false,
          targets,
          reason: `targets not confirmed healthy within ${secs(o.timeoutMs)}; ${unread}`,
        };
      // A read that failed says nothing about the targets: no streak moves; back off while errors last.
      await failures.backOff(started + o.timeoutMs, o.signal);
      continue;
    }
    const key = targets
      .map((t) => `${t.id}:${t.port ?? ''}:${t.state}`)
      .sort()
      .join(',');
    if (key !== lastKey) {
      lastKey = key;
      o.onChange(targets);
    }
    const verdict = judgeRound(targets, o.expected, o.unhealthyRounds ?? 3, streaks);
    if (verdict) return verdict;
    if (o.signal?.aborted) return { ok: false, targets, reason: 'cancelled' };
    if (o.clock.now() - started >= o.timeoutMs) {
      return {
        ok: false,
        targets,
        reason: `targets not healthy within ${secs(o.timeoutMs)} (${describeTargetCounts(targets)}; want ${o.expected} healthy)`,
      };
    }
    await o.clock.sleep(o.pollMs, o.signal);
  }
}

/**
 * One round's verdict on the targets read; null while it waits. `streaks` carries, between rounds,
 * how long every registered target has been healthy but fewer than expected, and how long some are unhealthy.
 */
function judgeRound(
  targets: TargetHealth[],
  expected: number,
  rounds: number,
  streaks: { unhealthy: number; fewer: number },
): TargetVerdict | null {
  const relevant = targets.filter((t) => !IGNORED.has(t.state));
  const healthy = relevant.filter((t) => t.state === 'healthy').length;
  const unhealthy = relevant.filter((t) => t.state === 'unhealthy' || t.state === 'unavailable');
  if (healthy >= expected && healthy === relevant.length) return { ok: true, targets };
  // Every registered target healthy but fewer than the desired count (targets shared with another
  // service, or a task not registered at all): accept once it holds for a few polls, and say so.
  streaks.fewer = healthy > 0 && healthy === relevant.length ? streaks.fewer + 1 : 0;
  if (streaks.fewer >= rounds)
    return { ok: true, targets, note: `only ${healthy} of ${expected} expected targets registered, all healthy` };
  streaks.unhealthy = unhealthy.length ? streaks.unhealthy + 1 : 0;
  if (streaks.unhealthy < rounds) return null;
  const first = unhealthy[0];
  const where = `${first.id}${first.port ? `:${first.port}` : ''}`;
  const reason = `${unhealthy.length} target(s) unhealthy: ${where} ${first.reason ?? ''} ${first.description ?? ''}`;
  return { ok: false, targets, reason: reason.trim() };
}
