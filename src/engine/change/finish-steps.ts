/** The steps around a change's start and finish that only read or tell: never throw for the store or a listener. */
import type { ChangeFinished, EngineContext } from '../context';
import type { DeployRecord, LockInfo } from '../model';
import type { Actor } from '../types';
import { writeAudit } from './audit';
import { closeLeftOver } from './left-over';

/** A new change took over an expired lease: the change that held it is closed as interrupted. */
export async function closeSuperseded(ctx: EngineContext, previous: LockInfo, actor: Actor): Promise<void> {
  const rec = await readRecordQuietly(ctx, previous.changeId);
  // Verified before its process lost it (or could not record it): succeeded; otherwise interrupted.
  if (rec?.outcome === 'running')
    await closeLeftOver(ctx, rec, `${actor.name} took over its expired lease on ${rec.service}`);
  await writeAudit(ctx, {
    actor,
    action: 'lock.taken_over',
    service: previous.service,
    details: { changeId: previous.changeId, owner: previous.owner, leaseExpiresAt: previous.leaseExpiresAt },
  });
}

export async function tellListeners(ctx: EngineContext, finished: ChangeFinished): Promise<string | null> {
  let reportPath: string | null = null;
  for (const listener of ctx.onFinished) {
    try {
      const answer = await listener(finished);
      if (answer?.reportPath) reportPath = answer.reportPath;
    } catch (e) {
      ctx.logger.warn({ err: e, changeId: finished.result.deployId }, 'a change_finished listener failed');
    }
  }
  return reportPath;
}

/** The change's record, or undefined (logged) when the store cannot answer. */
export async function readRecordQuietly(ctx: EngineContext, id: string): Promise<DeployRecord | undefined> {
  try {
    return await ctx.store.getDeploy(id);
  } catch (e) {
    ctx.logger.warn({ err: e, changeId: id }, 'could not read the change record');
    return undefined;
  }
}
