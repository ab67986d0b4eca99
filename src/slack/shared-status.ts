/**
 * `/status` answers shared between people asking about the same service at about the same time:
 * one engine call (three AWS reads) serves every request made while it runs and for a short
 * while after, so a burst of `/status` costs AWS a handful of calls and the bot little CPU.
 */
import type { Queries, ServiceStatus } from '../engine/api';

interface Entry {
  promise: Promise<ServiceStatus>;
  /** When the answer arrived (epoch ms); null while in flight. */
  settledAt: number | null;
}

export class SharedStatus {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly engine: Pick<Queries, 'status'>,
    /** How long an answer is reused after it arrived. */
    private readonly maxAgeMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The service's status: an answer in flight or younger than `maxAgeMs`, else a fresh one.
   * @throws what `engine.status` throws (a failure is not reused).
   */
  get(service: string): Promise<ServiceStatus> {
    const entry = this.entries.get(service);
    if (entry && (entry.settledAt === null || this.now() - entry.settledAt < this.maxAgeMs)) return entry.promise;
    const fresh: Entry = { promise: this.engine.status(service), settledAt: null };
    this.entries.set(service, fresh);
    fresh.promise.then(
      () => {
        fresh.settledAt = this.now();
      },
      () => {
        if (this.entries.get(service) === fresh) this.entries.delete(service);
      },
    );
    return fresh.promise;
  }
}
