/** The simulated world's timers. */
/** Sleeps that `close()` cuts short, so no timer outlives the world. */
export function createSleeper(): { sleep: (ms: number) => Promise<void>; cancelAll: () => void } {
  const pending = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  return {
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const entry = {
          resolve,
          timer: setTimeout(() => {
            pending.delete(entry);
            resolve();
          }, ms),
        };
        entry.timer.unref();
        pending.add(entry);
      }),
    cancelAll: () => {
      for (const entry of pending) {
        clearTimeout(entry.timer);
        entry.resolve();
      }
      pending.clear();
    },
  };
}
