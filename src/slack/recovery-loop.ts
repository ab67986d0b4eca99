/**
 * Replicas watch each other: at start and then every interval (a third of a lease), the bot looks
 * for running changes whose lease ran out (their replica died) and resumes them in their Slack
 * threads. The store's conditional takeover makes exactly one replica resume each change.
 */
import type { ChangeResult } from '../engine/model';
import type { Logger } from '../logger';

export interface RecoveryLoop {
  /** Stops looking; waits (at most `waitMs`) for a look under way to get past its start. */
  stop(waitMs: number): Promise<void>;
}

/**
 * Starts looking now and every `everyMs` (only once when `everyMs` is 0). A look that resumes a
 * change lasts as long as that change; later looks go on meanwhile and skip it (it runs here).
 */
export function startRecoveryLoop(
  recover: () => Promise<ChangeResult[]>,
  logger: Logger,
  everyMs: number,
): RecoveryLoop {
  const looks = new Set<Promise<void>>();
  const look = () => {
    const p: Promise<void> = recover()
      .then((results) => {
        for (const r of results)
          logger.warn({ changeId: r.deployId, service: r.service, outcome: r.outcome }, `resumed change: ${r.summary}`);
      })
      .catch((e: unknown) => logger.error({ err: e }, 'resuming changes left in flight failed'))
      .finally(() => looks.delete(p));
    looks.add(p);
  };
  look();
  const timer = everyMs > 0 ? setInterval(look, everyMs) : null;
  timer?.unref();
  return {
    async stop(waitMs) {
      if (timer) clearInterval(timer);
      await Promise.race([Promise.all(looks), new Promise((r) => setTimeout(r, waitMs).unref())]);
    },
  };
}
