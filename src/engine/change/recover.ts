/**
 * Picking up changes whose owner stopped. A running change is alive while its lease is fresh;
 * once the lease ran out (or its lock is gone) any process may take it over, exactly once, and
 * resume it, or mark it interrupted when nothing had changed yet. A running change whose
 * service is locked by another change is marked interrupted.
 */
import type { EngineContext } from '../context';
import { closeAsInterrupted, fenceOf } from './fence';
import { leaseFresh, leasedLock, takeoverTime } from './lease';
import type { ChangeLifecycle } from './lifecycle';
import type { ChangeResult, DeployRecord } from '../model';
import { writeAudit } from './audit';

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
      await markInterrupted(ctx, rec, `the lock of ${rec.service} is held by ${lock.changeId}`);
      continue;
    }
    // Its owner still works on it (its lease is fresh, allowing for clock skew).
    if (lock && leaseFresh(lock, takeover.getTime())) continue;
    if (resumable(rec)) {
      const result = await resume(rec);
      if (result) {
        ctx.logger.info({ changeId: rec.id, service: rec.service }, 'resumed a change left by a stopped process');
        results.push(result);
      }
      continue;
    }
    // Nothing was changed yet: close it, holding the lock meanwhile so that only one process does.
    const fence = fenceOf(rec) + 1;
    const taken = await ctx.store.acquireLock(
      {
        ...leasedLock({ service: rec.service, action: rec.kind, changeId: rec.id, actor: rec.actor }, ctx, now),
        fence,
      },
      takeover,
    );
    if (!taken.ok) continue;
    await markInterrupted(ctx, rec, 'its process stopped before it changed the service');
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

/** Fenced: raises the change's token, so its former owner writes nothing more; nothing happens when it moved on. */
async function markInterrupted(ctx: EngineContext, rec: DeployRecord, why: string): Promise<void> {
  const at = new Date(ctx.clock.now()).toISOString();
  if (!(await closeAsInterrupted(ctx, rec, at))) return;
  await writeAudit(ctx, {
    actor: rec.actor,
    action: `${rec.kind}.interrupted`,
    service: rec.service,
    details: { changeId: rec.id, previousOwner: rec.owner, why },
  });
  ctx.logger.warn({ changeId: rec.id, service: rec.service }, `marked a change interrupted: ${why}`);
}
