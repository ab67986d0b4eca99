/** The last writes of a change (its outcome, its lock's release): tried a few times, each failure logged. */
import type { EngineContext } from '../context';

/** How often a final write is tried. */
export const FINAL_WRITE_ATTEMPTS = 3;

/**
 * Runs `write` until it succeeds, at most FINAL_WRITE_ATTEMPTS times, 250 ms × attempt apart; never
 * throws. `retrying` and `gaveUp` are the log lines of a failure with and without another try.
 * @returns whether the write succeeded.
 */
export async function retryFinalWrite(
  ctx: Pick<EngineContext, 'logger' | 'clock'>,
  write: () => Promise<unknown>,
  log: { fields: Record<string, unknown>; retrying: string; gaveUp: string },
  stillWanted: () => boolean = () => true,
): Promise<boolean> {
  for (let attempt = 1; attempt <= FINAL_WRITE_ATTEMPTS && stillWanted(); attempt++) {
    try {
      await write();
      return true;
    } catch (e) {
      const last = attempt === FINAL_WRITE_ATTEMPTS;
      ctx.logger.error({ err: e, ...log.fields }, last ? log.gaveUp : log.retrying);
      if (!last) await ctx.clock.sleep(250 * attempt);
    }
  }
  return false;
}
