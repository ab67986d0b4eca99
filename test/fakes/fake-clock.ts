import type { Clock } from '../../src/engine/ports';

/**
 * A clock that jumps forward on every sleep, so a 15-minute timeout takes milliseconds.
 * Each sleep yields to the event loop first, so concurrent flows interleave as in real time.
 * Repeating timers fire as the time they wait for passes.
 */
export class FakeClock implements Clock {
  private readonly timers = new Set<{ due: number; ms: number; fn: () => void }>();
  private time: number;

  constructor(current = Date.parse('2026-11-25T10:00:00Z')) {
    this.time = current;
  }

  get current(): number {
    return this.time;
  }

  set current(value: number) {
    this.time = value;
    for (const t of this.timers) {
      while (t.due <= this.time && this.timers.has(t)) {
        t.due += t.ms;
        t.fn();
      }
    }
  }

  every(ms: number, fn: () => void): () => void {
    const timer = { due: this.time + ms, ms, fn };
    this.timers.add(timer);
    return () => this.timers.delete(timer);
  }

  /** Repeating timers not stopped yet. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  now(): number {
    return this.current;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    await new Promise((r) => setImmediate(r));
    if (signal?.aborted) return;
    this.current += ms;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
