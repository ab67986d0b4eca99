/** What following a traffic shift does besides reading: ask ECS to roll back, answer a pause, learn who answered one. */
import { describeError } from '../../errors';
import { writeAudit } from '../change/audit';
import { secs } from '../clock';
import type { LifecycleHookState, ServiceDeployment } from '../service-deployment';
import { ecsFailureReason } from '../watch/ecs-verdict';
import type { WatchVerdict } from '../watch/watch-deployment';
import type { FollowPlan } from './follow';
import { PROMOTE_AUDIT, type Promotions } from './promotions';

/** Who answered the pause through ecs-chatops; null when unknown or the audit log could not be read. */
export async function answeredBy(
  p: FollowPlan,
  promotions: Promotions,
  hookId: string,
): ReturnType<Promotions['answeredBy']> {
  try {
    return await promotions.answeredBy(p.svc.name, hookId);
  } catch (error) {
    // Only the wording of the answer depends on it: the follow goes on with "someone".
    p.ctx.logger.warn({ err: error, service: p.svc.name, hookId }, 'could not read who answered the pause');
    return null;
  }
}

/** Asks ECS to return production (and test) traffic to blue. Null when asked; a verdict when ECS refused. */
export async function requestRollback(
  p: FollowPlan,
  record: ServiceDeployment,
  hook: LifecycleHookState | null,
  reason: string,
): Promise<WatchVerdict | null> {
  const { ctx, svc, run } = p;
  const how = hook ? 'ecs.continue_service_deployment' : 'ecs.stop_service_deployment';
  try {
    if (hook) await ctx.ecs.continueServiceDeployment(svc.region, record.arn, hook.hookId, 'ROLLBACK');
    else await ctx.ecs.stopServiceDeployment(svc.region, record.arn, 'ROLLBACK');
  } catch (error) {
    return {
      state: null,
      source: 'service deployment',
      serviceDeploymentArn: record.arn,
      status: 'failed',
      inFlight: true,
      reason: `${reason}; ECS refused the rollback (${describeError(error)})`,
    };
  }
  await writeAudit(ctx, {
    actor: run.actor,
    action: how,
    service: svc.name,
    details: {
      changeId: run.id,
      serviceDeploymentArn: record.arn,
      ...(hook ? { hookId: hook.hookId, action: 'ROLLBACK' } : { stopType: 'ROLLBACK' }),
      reason,
    },
  });
  return null;
}

export async function autoContinue(p: FollowPlan, record: ServiceDeployment, hook: LifecycleHookState): Promise<void> {
  const { ctx, svc, run } = p;
  try {
    await ctx.ecs.continueServiceDeployment(svc.region, record.arn, hook.hookId, 'CONTINUE');
    await writeAudit(ctx, {
      actor: run.actor,
      action: PROMOTE_AUDIT,
      service: svc.name,
      details: {
        changeId: run.id,
        hookId: hook.hookId,
        action: 'CONTINUE',
        serviceDeploymentArn: record.arn,
        autoContinue: true,
      },
    });
  } catch (error) {
    ctx.logger.warn(
      { err: error, service: svc.name },
      `autoContinue: ContinueServiceDeployment failed: ${describeError(error)}`,
    );
  }
}

export function ecsRollbackReason(record: ServiceDeployment, productionSince: number | null, now: number): string {
  const timedOut = record.hooks.find((h) => h.status === 'TIMED_OUT');
  const exposure =
    productionSince === null
      ? '; production traffic never moved to green'
      : `; production traffic was on the failed release for ${secs(now - productionSince)}`;
  if (timedOut)
    return `nobody answered the pause before it expired${timedOut.expiresAt ? ` (${timedOut.expiresAt.toISOString()})` : ''}; ECS applied its timeout action ${timedOut.timeoutAction ?? 'ROLLBACK'}${exposure}`;
  return `ECS rolled back: ${ecsFailureReason(record)}${exposure}`;
}
