/**
 * `deploy --wait-for-lock 10m`: a CI deploy that finds the service locked by another change
 * (a Slack deploy, another pipeline) waits for it, up to the bound it was given, saying who
 * holds the lock and since when, instead of being refused at once.
 */
import { formatDuration } from '../config/duration';
import type { ChangeResult, LockInfo } from '../engine/model';
import { ErrorCodes } from '../errors';
import { leaseRanOut } from '../store/lease-rule';

/** How often the lock is read while waiting. */
const LOCK_POLL_MS = 2_000;
/** How often a wait that goes on says so again. */
const REMIND_MS = 30_000;

export interface LockWaitDeps {
  getLock(service: string): Promise<LockInfo | undefined>;
  /** Progress lines (stderr). */
  say(line: string): void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  pollMs?: number;
}

/** `deploy d-… (alice via slack, since 2025-01-21T15:00:00.000Z)` */
function describeHolder(lock: LockInfo): string {
  return `${lock.action} ${lock.changeId} (${lock.actor.name} via ${lock.actor.via}, since ${lock.acquiredAt})`;
}

/**
 * Waits until `service` has no live lock or `deadline` passes; returns the holder still there at
 * the deadline, or undefined once the lock is free.
 */
async function waitForFreeLock(service: string, deadline: number, deps: LockWaitDeps): Promise<LockInfo | undefined> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let told: { changeId: string; at: number } | undefined;
  for (;;) {
    const lock = await deps.getLock(service);
    const at = now();
    // A lock whose lease ran out is as good as free: the next acquisition takes it over.
    if (!lock || leaseRanOut(lock, at)) return undefined;
    if (at >= deadline) return lock;
    if (told?.changeId !== lock.changeId || at - told.at >= REMIND_MS) {
      deps.say(
        `${service} is locked by ${describeHolder(lock)}; waiting for it, ${formatDuration(deadline - at)} at most`,
      );
      told = { changeId: lock.changeId, at };
    }
    await sleep(Math.min(deps.pollMs ?? LOCK_POLL_MS, Math.max(deadline - at, 1)));
  }
}

function isLockRefusal(result: ChangeResult): boolean {
  return result.outcome === 'refused' && result.error?.code === ErrorCodes.lockHeld;
}

/**
 * Runs `attempt` (a change that takes the service's lock), waiting for the lock first and again
 * after losing a race for it, until it runs or `waitMs` has passed. Without `waitMs` it is one attempt.
 * A refusal after the wait says how long it waited.
 */
export async function withLockWait(
  service: string,
  waitMs: number | undefined,
  deps: LockWaitDeps,
  attempt: () => Promise<ChangeResult>,
): Promise<ChangeResult> {
  if (!waitMs) return attempt();
  const now = deps.now ?? Date.now;
  const deadline = now() + waitMs;
  for (;;) {
    await waitForFreeLock(service, deadline, deps);
    const result = await attempt();
    if (!isLockRefusal(result)) return result;
    if (now() >= deadline) return afterWaiting(result, waitMs);
  }
}

function afterWaiting(result: ChangeResult, waitMs: number): ChangeResult {
  const waited = `still locked after waiting ${formatDuration(waitMs)}`;
  const message = `${waited}: ${result.error?.message ?? 'the lock is held'}`;
  return { ...result, error: { code: ErrorCodes.lockHeld, message }, summary: `refused: ${message}` };
}
