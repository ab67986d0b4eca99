/**
 * Picking up changes whose owner stopped. A running change is alive while its lease is fresh;
 * once the lease ran out (or its lock is gone) any process may take it over, exactly once. A
 * change whose phases show it was verified (its process could not record the outcome, say on a
 * full disk) is recorded as succeeded; one that was under way is resumed; one that had changed
 * nothing yet is marked interrupted. A running change whose service is locked by another change
 * can no longer go on: it is closed as succeeded when verified, else interrupted.
 */
import type { EngineContext } from '../context';
import { fenceOf } from './fence';
import { leaseFresh, leasedLock, takeoverTime } from './lease';
import type { ChangeLifecycle } from './lifecycle';
import type { ChangeResult, DeployRecord } from '../model';
import { closeLeftOver, verifiedBeforeLoss } from './left-over';

/** The changes resumed, and those recorded as succeeded from their phases; changes marked interrupted are only logged. */
export async function recoverChanges(
  ctx: EngineContext,
  lifecycle: ChangeLifecycle,
  resume: (record: DeployRecord) => Promise<ChangeResult | null>,
): Promise<ChangeResult[]> {
  const results: ChangeResult[] = [];
  for (const rec of await ctx.store.runningDeploys()) {
    if (lifecycle.isRunningHere(rec.id)) continue;
    const lock = await ctx.store.getLock(rec.service);
    const now = ctx.clock.now();
    const takeover = takeoverTime(ctx);
    // Another change holds the service: this one no longer can go on.
    if (lock && lock.changeId !== rec.id) {
      const closed = await closeLeftOver(ctx, rec, `the lock of ${rec.service} is held by ${lock.changeId}`);
      if (closed) results.push(closed);
      continue;
    }
    // Its owner still works on it (its lease is fresh, allowing for clock skew).
    if (lock && leaseFresh(lock, takeover.getTime())) continue;
    const verified = verifiedBeforeLoss(rec);
    if (!verified && resumable(rec)) {
      const result = await resume(rec);
      if (result) {
        ctx.logger.info({ changeId: rec.id, service: rec.service }, 'resumed a change left by a stopped process');
        results.push(result);
      }
      continue;
    }
    // Verified, or nothing changed yet: close it, holding the lock meanwhile so that only one process does.
    const fence = fenceOf(rec) + 1;
    const taken = await ctx.store.acquireLock(
      {
        ...leasedLock({ service: rec.service, action: rec.kind, changeId: rec.id, actor: rec.actor }, ctx, now),
        fence,
      },
      takeover,
    );
    if (!taken.ok) continue;
    const why = verified
      ? 'it was verified, but its process could not record the outcome'
      : 'its process stopped before it changed the service';
    const closed = await closeLeftOver(ctx, rec, why);
    if (closed) results.push(closed);
    await ctx.store.releaseLock(rec.service, rec.id, fence);
  }
  return results;
}

function resumable(rec: DeployRecord): boolean {
  return (
    (rec.kind === 'deploy' || rec.kind === 'rollback') &&
    Boolean(rec.toTaskDefinition && rec.fromTaskDefinition) &&
    rec.phases.some((p) => p.name === 'register' || p.name === 'approval')
  );
}
