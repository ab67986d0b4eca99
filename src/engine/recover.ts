/** Start-up: changes left "running" by a process that died are resumed or marked interrupted. */
import type { EngineContext } from './context';
import type { ChangeResult, DeployRecord } from './model';

export async function recoverChanges(ctx: EngineContext, resume: (record: DeployRecord) => Promise<ChangeResult>): Promise<ChangeResult[]> {
  const results: ChangeResult[] = [];
  for (const rec of await ctx.store.runningDeploys()) {
    if (rec.owner === ctx.owner || ctx.isOwnerAlive(rec.owner)) continue;
    const resumable = (rec.kind === 'deploy' || rec.kind === 'rollback') && rec.toTaskDefinition && rec.fromTaskDefinition && rec.phases.some((p) => p.name === 'register' || p.name === 'approval');
    if (resumable) {
      ctx.logger.info({ changeId: rec.id, service: rec.service }, 'resuming a change left by a stopped process');
      results.push(await resume(rec));
      continue;
    }
    const at = new Date(ctx.clock.now()).toISOString();
    await ctx.store.updateDeploy(rec.id, { outcome: 'interrupted', finishedAt: at });
    const lock = await ctx.store.getLock(rec.service);
    if (lock?.changeId === rec.id) await ctx.store.breakLock(rec.service);
    await ctx.store.appendAudit({ at, actor: rec.actor, action: `${rec.kind}.interrupted`, service: rec.service, details: { changeId: rec.id, previousOwner: rec.owner } });
    ctx.logger.warn({ changeId: rec.id, service: rec.service }, 'marked a change interrupted: its process stopped before it changed the service');
  }
  return results;
}
