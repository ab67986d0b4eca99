/**
 * A Cancel clicked on another replica reaches the change through its record (`cancelRequest`):
 * the process running the change reads the record each time it renews its lease and stops the
 * change as if Cancel had been clicked there.
 */
import { CodedError, ErrorCodes } from '../../errors';
import { writeAudit } from './audit';
import type { ChangeRun } from './change-run';
import type { EngineContext } from '../context';
import type { Actor } from '../types';

/** Asks, through the record, the process that runs `changeId` to cancel it; false when it no longer runs or was already asked. */
export async function requestCancel(ctx: EngineContext, changeId: string, actor: Actor): Promise<boolean> {
  const record = await ctx.store.getDeploy(changeId);
  if (record?.outcome !== 'running' || record.cancelRequest) return false;
  await ctx.store.updateDeploy(changeId, { cancelRequest: { by: actor, at: new Date(ctx.clock.now()).toISOString() } });
  await writeAudit(ctx, {
    actor,
    action: 'cancel.requested',
    service: record.service,
    details: { changeId, runBy: record.owner },
  });
  return true;
}

/** Aborts `abort` when the change's record carries a cancel request. */
export async function abortOnCancelRequest(ctx: EngineContext, run: ChangeRun, abort: AbortController): Promise<void> {
  if (abort.signal.aborted) return;
  const request = (await ctx.store.getDeploy(run.id))?.cancelRequest;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the signal may abort while the record is read
  if (!request || abort.signal.aborted) return;
  abort.abort(new CodedError(ErrorCodes.cancelled, `cancelled by ${request.by.name}`));
  await writeAudit(ctx, {
    actor: request.by,
    action: 'cancel',
    service: run.service,
    details: { changeId: run.id, requestedAt: request.at },
  });
}
