/** A bound on how long the bot waits for one answer (a store ping, a service's status). */

/**
 * `promise`, or a rejection once `ms` have passed without its answer. The timer is cleared either way.
 * @throws Error `no answer within <ms> ms` when the time runs out, or whatever `promise` rejects with.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
