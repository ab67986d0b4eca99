/**
 * Limits on the reads that cost production or AWS something (`/smoke`, `/logs`, `/status`): per
 * person and per service, over a sliding minute. A refused read is never charged. `/smoke` of a
 * service that is already being smoke-tested joins the run in flight instead of starting another.
 */
import type { ReadLimitsConfig } from '../config/schema';

type ReadName = keyof ReadLimitsConfig['perService'];

/** A limited read: its slash command, named as in `slack.readLimits.perService`. */
export type ReadCommand = `/${ReadName}`;

/** How many people × commands (and services) are remembered at most. */
const MAX_KEYS = 10_000;

/** Counts events per key over a sliding window. */
export class SlidingWindow {
  private readonly times = new Map<string, number[]>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until `key` may run once more under `limit`; 0 when it may now. */
  waitMs(key: string, limit: number): number {
    const recent = this.recent(key);
    if (recent.length < limit) return 0;
    return recent[recent.length - limit] + this.windowMs - this.now();
  }

  /** Counts one run of `key`. */
  charge(key: string): void {
    const recent = this.recent(key);
    recent.push(this.now());
    this.times.delete(key);
    this.times.set(key, recent);
    // Least recently used keys go first; their windows are the oldest.
    for (const oldest of this.times.keys()) {
      if (this.times.size <= MAX_KEYS) break;
      this.times.delete(oldest);
    }
  }

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    const recent = (this.times.get(key) ?? []).filter((t) => t > since);
    if (recent.length) this.times.set(key, recent);
    else this.times.delete(key);
    return recent;
  }
}

export type Admission = { ok: true } | { ok: false; why: string; text: string };

export class ReadGate {
  private readonly users: SlidingWindow;
  private readonly services: SlidingWindow;
  private readonly runs = new Map<string, { promise: Promise<unknown>; startedBy: string }>();

  /** `limits`: `slack.readLimits`, per person and per service over one window. */
  constructor(
    private readonly limits: ReadLimitsConfig,
    now: () => number = Date.now,
  ) {
    this.users = new SlidingWindow(limits.window, now);
    this.services = new SlidingWindow(limits.window, now);
  }

  /**
   * Lets `user` run `command` on `service` (charging both counts), or says why not.
   * @param costsService false when the read joins one in flight: it costs the service nothing.
   */
  admit(user: string, command: ReadCommand, service: string, costsService = true): Admission {
    const minute = this.limits.window === 60_000 ? 'minute' : `${Math.round(this.limits.window / 1000)} s`;
    const userKey = `${user} ${command}`;
    const serviceKey = `${service} ${command}`;
    const userWait = this.users.waitMs(userKey, this.limits.perUser);
    if (userWait > 0) {
      const n = this.limits.perUser;
      return refusal(
        `rate limited: ${n} ${command} per person per ${minute}`,
        `You've run ${command} ${n} times in the last ${minute}; try again in ${seconds(userWait)}.`,
      );
    }
    const serviceLimit = this.limits.perService[command.slice(1) as ReadName];
    const serviceWait = costsService ? this.services.waitMs(serviceKey, serviceLimit) : 0;
    if (serviceWait > 0) {
      return refusal(
        `rate limited: ${serviceLimit} ${command} of ${service} per ${minute}`,
        `${command} of ${service} ran ${serviceLimit} times in the last ${minute}; try again in ${seconds(serviceWait)}.`,
      );
    }
    this.users.charge(userKey);
    if (costsService) this.services.charge(serviceKey);
    return { ok: true };
  }

  /** The run in flight under `key`, if any, and who started it. */
  inFlight<T>(key: string): { promise: Promise<T>; startedBy: string } | undefined {
    return this.runs.get(key) as { promise: Promise<T>; startedBy: string } | undefined;
  }

  /** Starts a run under `key` that later callers may join until it settles. */
  start<T>(key: string, startedBy: string, run: () => Promise<T>): Promise<T> {
    const promise = run();
    const entry = { promise, startedBy };
    this.runs.set(key, entry);
    const forget = () => {
      if (this.runs.get(key) === entry) this.runs.delete(key);
    };
    promise.then(forget, forget);
    return promise;
  }
}

function refusal(why: string, sentence: string): Admission {
  return { ok: false, why, text: `:hourglass: ${sentence}` };
}

function seconds(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 1000))} s`;
}
