/**
 * A Cancel clicked on another replica reaches the change through its record (`cancelRequest`):
 * the process running the change reads the record while the change runs and stops it as if
 * Cancel had been clicked here.
 */
import { writeAudit } from './audit';
import type { EngineContext } from './context';
import type { Actor } from './types';

/** Asks, through the record, the process that runs `changeId` to cancel it; false when it no longer runs or was already asked. */
export async function requestCancel(ctx: EngineContext, changeId: string, actor: Actor): Promise<boolean> {
  const record = await ctx.store.getDeploy(changeId);
  if (!record || record.outcome !== 'running' || record.cancelRequest) return false;
  await ctx.store.updateDeploy(changeId, { cancelRequest: { by: actor, at: new Date(ctx.clock.now()).toISOString() } });
  await writeAudit(ctx, { actor, action: 'cancel.requested', service: record.service, details: { changeId, runBy: record.owner } });
  return true;
}

/**
 * Reads the record every `ctx.leaseRenewMs` and aborts `abort` once a cancel request is there.
 * Returns the function that stops watching.
 */
export function watchCancelRequests(ctx: EngineContext, changeId: string, service: string, abort: AbortController): () => void {
  let reading = false;
  const check = async () => {
    if (reading || abort.signal.aborted) return;
    reading = true;
    try {
      const request = (await ctx.store.getDeploy(changeId))?.cancelRequest;
      if (!request || abort.signal.aborted) return;
      abort.abort(new Error(`cancelled by ${request.by.name}`));
      await writeAudit(ctx, { actor: request.by, action: 'cancel', service, details: { changeId, requestedAt: request.at } });
    } catch (e) {
      ctx.logger.warn({ err: e, changeId }, 'could not read the change record for a cancel request');
    } finally {
      reading = false;
    }
  };
  const timer = setInterval(() => void check(), ctx.leaseRenewMs);
  timer.unref();
  return () => clearInterval(timer);
}
