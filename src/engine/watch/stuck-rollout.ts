/**
 * Stuck rollouts announce themselves: ECS says it cannot start or place our tasks, or our tasks
 * stop with a reason. A failure that cannot heal (an image that cannot be pulled, a container or
 * task definition ECS refuses, a missing secret or log group) fails the rollout when first seen.
 * One that may heal (placement, capacity a capacity provider may add, a crashing start) fails it
 * once our deployment has gained no running task for `noProgressMs` since.
 */
import type { StoppedTask } from '../service-deployment';
import type { ServiceEvent } from '../types';

/** A task that stopped, as far as the stuck-rollout rule cares. */
export type StoppedTaskFacts = Pick<StoppedTask, 'taskArn' | 'taskDefinition' | 'stoppedReason' | 'stoppedAt'>;

/** Whether waiting can help: `cannot_heal` is acted on at once, `may_heal` after the no-progress guard. */
export type StuckKind = 'cannot_heal' | 'may_heal';

/** ECS's words for failures that waiting does not cure. */
const CANNOT_HEAL = [
  /CannotPullContainerError/i,
  /ResourceInitializationError/i,
  /CannotCreateContainerError/i,
  /CannotStartContainerError/i,
  /\b(secret|parameter)s?\b.*\b(not found|does not exist|can't find|cannot find|unable to retrieve)/i,
  /log group .*does not exist/i,
  /task definition .*(is inactive|is invalid|does not exist)/i,
];

/** ECS's service events that say it cannot start or place tasks. */
const STUCK_EVENTS = [
  /unable to consistently start tasks successfully/i,
  /was unable to place a task/i,
  ...CANNOT_HEAL,
];

/** A stoppedReason that is the task's own doing, not a scale-in or a replacement. */
const ROUTINE_STOP = /scaling activity|deployment|replaced|user initiated|ECS is performing maintenance/i;

/** A routine stop says nothing of the release, unless ECS names a failure that cannot heal in it. */
const isRoutineStop = (reason: string): boolean => ROUTINE_STOP.test(reason) && stuckKindOf(reason) === 'may_heal';

export interface StuckSignal {
  /** ECS's own words, one line. */
  reason: string;
  at: number;
  kind: StuckKind;
}

/** Words in those failures that say the cause may pass: a network timeout, a registry's rate limit. */
const PASSING_CAUSE = /timeout|timed out|toomanyrequests|rate limit|connection reset|temporarily unavailable/i;

/** Whether ECS's words name a failure that cannot heal by waiting. */
export function stuckKindOf(text: string): StuckKind {
  return CANNOT_HEAL.some((p) => p.test(text)) && !PASSING_CAUSE.test(text) ? 'cannot_heal' : 'may_heal';
}

/**
 * The sign, since `sinceMs`, that ECS cannot start our tasks: the first that cannot heal, else
 * the first that may; null when there is none.
 */
export function findStuckSignal(
  events: ServiceEvent[],
  stopped: StoppedTaskFacts[],
  taskDefinition: string,
  sinceMs: number,
): StuckSignal | null {
  const fromEvents = events
    .filter((e) => e.createdAt.getTime() >= sinceMs && STUCK_EVENTS.some((p) => p.test(e.message)))
    .map((e) => signal(e.message.trim(), e.createdAt.getTime()));
  const fromTasks = stopped
    .filter((t) => t.taskDefinition === taskDefinition && t.stoppedReason && !isRoutineStop(t.stoppedReason))
    .filter((t) => !t.stoppedAt || t.stoppedAt.getTime() >= sinceMs)
    .map((t) =>
      signal(
        `task ${t.taskArn.split('/').pop() ?? t.taskArn} stopped: ${t.stoppedReason.trim()}`,
        t.stoppedAt?.getTime() ?? sinceMs,
      ),
    );
  const all = [...fromEvents, ...fromTasks].sort((a, b) => a.at - b.at);
  return all.find((s) => s.kind === 'cannot_heal') ?? all.at(0) ?? null;
}

function signal(reason: string, at: number): StuckSignal {
  return { reason, at, kind: stuckKindOf(reason) };
}

/** Why the rule failed the rollout: ECS's signal, its kind, and the sentence for the report. */
export interface StuckFinding {
  signal: string;
  kind: StuckKind;
  reason: string;
}

/**
 * Watches progress after a stuck signal: fails at once on a signal that cannot heal; on one that
 * may, once `noProgressMs` passed since we first saw it and our deployment has no more running
 * tasks than it had then.
 */
export class NoProgressRule {
  private signal: { reason: string; seenAt: number; kind: StuckKind } | null = null;
  private lastRunning = 0;
  private progressAt: number;

  constructor(
    private readonly noProgressMs: number,
    startedAt: number,
  ) {
    this.progressAt = startedAt;
  }

  /** Signals older than this are answered by progress already: look for newer ones only. */
  get signalsSince(): number {
    return this.progressAt;
  }

  /** Returns the finding when the rule fires, else null. */
  observe(now: number, signal: StuckSignal | null, running: number): StuckFinding | null {
    if (running > this.lastRunning) {
      // progress: a task started since; earlier signals are answered
      this.progressAt = now;
      this.signal = null;
    }
    this.lastRunning = running;
    const fresh = signal && signal.at >= this.progressAt ? signal : null;
    if (fresh && (!this.signal || (fresh.kind === 'cannot_heal' && this.signal.kind !== 'cannot_heal')))
      this.signal = { reason: fresh.reason, seenAt: now, kind: fresh.kind };
    if (!this.signal) return null;
    const { reason, kind } = this.signal;
    if (kind === 'cannot_heal')
      return { signal: reason, kind, reason: `ECS cannot start the new tasks (cannot heal): ${clip(reason)}` };
    if (now - this.signal.seenAt < this.noProgressMs) return null;
    const waited = `${Math.round(this.noProgressMs / 100) / 10}s`;
    return {
      signal: reason,
      kind,
      reason: `ECS cannot start the new tasks (may heal, but no task started within ${waited}): ${clip(reason)}`,
    };
  }
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}
