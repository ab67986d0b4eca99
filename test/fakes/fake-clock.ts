import type { Clock } from '../../src/engine/ports';

/**
 * A clock that jumps forward on every sleep, so a 15-minute timeout takes milliseconds.
 * Each sleep yields to the event loop first, so concurrent flows interleave as in real time.
 */
export class FakeClock implements Clock {
  constructor(public current = Date.parse('2026-11-25T10:00:00Z')) {}
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
