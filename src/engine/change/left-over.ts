/**
 * Closing a change whose process is gone while its record still says `running`: a crash, a lost
 * lease, or a store that could not take the final write (a full disk). Its recorded phases say
 * how far it got. A change that altered the service and passed every check is `succeeded`, even
 * though its own process could not say so; anything else is `interrupted`.
 */
import type { EngineContext } from '../context';
import { exitCodeFor, type ChangeResult, type DeployRecord } from '../model';
import { writeAudit } from './audit';
import { closeFenced } from './fence';

/**
 * True when the recorded phases show the change altered the service and was verified: nothing
 * failed, and a deploy or rollback reached its `record` phase (every check before it passed),
 * or a stop or restart reached its desired count.
 */
export function verifiedBeforeLoss(rec: Pick<DeployRecord, 'kind' | 'phases'>): boolean {
  const { phases } = rec;
  if (phases.some((p) => p.status === 'failed')) return false;
  if (!phases.some((p) => p.name === 'rollout' && p.status === 'ok')) return false;
  if (rec.kind === 'stop' || rec.kind === 'restart') return true;
  return phases.some((p) => p.name === 'record');
}

/**
 * Records a left-over change's outcome (`succeeded` when verified, else `interrupted`), with an
 * audit row; the result of a change recorded as succeeded, so that whoever recovers it can say so.
 * The write raises the change's fencing token, so the process that held it writes nothing more;
 * when the change moved on meanwhile, nothing is written (null).
 */
export async function closeLeftOver(ctx: EngineContext, rec: DeployRecord, why: string): Promise<ChangeResult | null> {
  const at = new Date(ctx.clock.now()).toISOString();
  if (verifiedBeforeLoss(rec)) {
    const finalTaskDefinition = rec.kind === 'deploy' || rec.kind === 'rollback' ? rec.toTaskDefinition : null;
    const finishedAt = rec.phases.at(-1)?.finishedAt ?? at;
    const closed = await closeFenced(ctx, rec, {
      outcome: 'succeeded',
      finishedAt,
      ...(finalTaskDefinition ? { finalTaskDefinition } : {}),
    });
    if (!closed) return null;
    await writeAudit(ctx, {
      actor: rec.actor,
      action: `${rec.kind}.succeeded`,
      service: rec.service,
      details: { changeId: rec.id, previousOwner: rec.owner, recordedBy: 'recovery', why },
    });
    ctx.logger.warn(
      { changeId: rec.id, service: rec.service },
      `recorded a verified change as succeeded that its process could not record: ${why}`,
    );
    return recordedResult({ ...rec, finishedAt, finalTaskDefinition }, why);
  }
  if (!(await closeFenced(ctx, rec, { outcome: 'interrupted', finishedAt: at }))) return null;
  await writeAudit(ctx, {
    actor: rec.actor,
    action: `${rec.kind}.interrupted`,
    service: rec.service,
    details: { changeId: rec.id, previousOwner: rec.owner, why },
  });
  ctx.logger.warn({ changeId: rec.id, service: rec.service }, `marked a change interrupted: ${why}`);
  return null;
}

/** The result of a verified change, rebuilt from its record. */
function recordedResult(rec: DeployRecord, why: string): ChangeResult {
  return {
    ok: true,
    kind: rec.kind,
    outcome: 'succeeded',
    exitCode: exitCodeFor('succeeded'),
    deployId: rec.id,
    service: rec.service,
    sha: rec.sha,
    digest: rec.digest,
    fromTaskDefinition: rec.fromTaskDefinition,
    toTaskDefinition: rec.toTaskDefinition,
    finalTaskDefinition: rec.finalTaskDefinition,
    phases: rec.phases,
    smoke: [],
    targets: [],
    logs: null,
    failure: null,
    summary: `${rec.service}: ${rec.kind} ${rec.id} recorded as succeeded (${why})`,
    actor: rec.actor,
    startedAt: rec.startedAt,
    finishedAt: rec.finishedAt,
    error: null,
    reportPath: rec.reportPath,
  };
}
