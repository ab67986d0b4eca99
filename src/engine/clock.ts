import type { Clock } from './ports';

/** Real time. `sleep` resolves early (never rejects) when the signal aborts. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) {
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
  every: (ms, fn) => {
    const timer = setInterval(fn, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};

/** A span in whole seconds (`25s`), as the watches quote their waits and timeouts. */
export function secs(ms: number): string {
  return `${Math.round(ms / 1000)}s`;
}

/** How long a watch waits for ECS to show our deployment at all before it says so. */
export const UNSEEN_MS = 60_000;
