/**
 * Stuck rollouts announce themselves: ECS says it cannot start or place our tasks, or our tasks
 * stop with a reason. Once it has said so and our deployment gains no running task for
 * `noProgressMs`, the rollout is failed early instead of waiting out the stabilize timeout.
 */
import type { StoppedTask } from '../service-deployment';
import type { ServiceEvent } from '../types';

/** A task that stopped, as far as the stuck-rollout rule cares. */
export type StoppedTaskFacts = Pick<StoppedTask, 'taskArn' | 'taskDefinition' | 'stoppedReason' | 'stoppedAt'>;

const STUCK_EVENTS = [/unable to consistently start tasks successfully/i, /was unable to place a task/i];

/** A stoppedReason that is the task's own doing, not a scale-in or a replacement. */
const ROUTINE_STOP = /scaling activity|deployment|replaced|user initiated|ECS is performing maintenance/i;

export interface StuckSignal {
  /** ECS's own words, one line. */
  reason: string;
  at: number;
}

/** The first sign, since `sinceMs`, that ECS cannot start our tasks; null when there is none. */
export function findStuckSignal(
  events: ServiceEvent[],
  stopped: StoppedTaskFacts[],
  taskDefinition: string,
  sinceMs: number,
): StuckSignal | null {
  const fromEvents = events
    .filter((e) => e.createdAt.getTime() >= sinceMs && STUCK_EVENTS.some((p) => p.test(e.message)))
    .map((e) => ({ reason: e.message.trim(), at: e.createdAt.getTime() }));
  const fromTasks = stopped
    .filter((t) => t.taskDefinition === taskDefinition && t.stoppedReason && !ROUTINE_STOP.test(t.stoppedReason))
    .filter((t) => !t.stoppedAt || t.stoppedAt.getTime() >= sinceMs)
    .map((t) => ({
      reason: `task ${t.taskArn.split('/').pop()} stopped: ${t.stoppedReason.trim()}`,
      at: t.stoppedAt?.getTime() ?? sinceMs,
    }));
  const all = [...fromEvents, ...fromTasks].sort((a, b) => a.at - b.at);
  return all[0] ?? null;
}

/**
 * Watches progress after a stuck signal: fails once `noProgressMs` passed since we first saw the
 * signal and our deployment has no more running tasks than it had then.
 */
export class NoProgressRule {
  private signal: { reason: string; seenAt: number; running: number } | null = null;
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

  /** Returns the failure reason when the rule fires, else null. */
  observe(now: number, signal: StuckSignal | null, running: number): string | null {
    if (running > this.lastRunning) {
      // progress: a task started since; earlier signals are answered
      this.progressAt = now;
      this.signal = null;
    }
    this.lastRunning = running;
    if (!this.signal && signal && signal.at >= this.progressAt)
      this.signal = { reason: signal.reason, seenAt: now, running };
    if (!this.signal || now - this.signal.seenAt < this.noProgressMs) return null;
    return `ECS cannot start the new tasks: ${clip(this.signal.reason)} (no task started within ${Math.round(this.noProgressMs / 100) / 10}s)`;
  }
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}
