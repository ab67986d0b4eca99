/**
 * The rollout phase of a change: start the deployment (UpdateService, or StopServiceDeployment
 * with ROLLBACK on the way back from an in-flight one), then watch the deployment ECS made.
 */
import type { NamedService } from '../../config/schema';
import { describeError } from '../../errors';
import type { ChangeRun } from '../change/change-run';
import type { EngineContext } from '../context';
import type { PhaseName } from '../model';
import { CREATED_AT_SKEW_MS, ourDeploymentFrom, type OurDeployment } from './our-deployment';
import type { ServiceState } from '../types';
import { watchDeployment, type ServiceDeploymentReader, type WatchVerdict } from './watch-deployment';
import { followIfTrafficShift, followsTraffic } from '../blue-green/rollout-hook';
import type { DeploymentStrategyInfo } from '../service-deployment';
import { writeAudit } from '../change/audit';
import { primaryDeployment } from './rollout';

/** How the service gets to the task definition the phase watches. */
export type RolloutStart =
  /** UpdateService to it (`force`: a new deployment even when it already runs). */
  | { kind: 'update'; force?: boolean }
  /** StopServiceDeployment(ROLLBACK) of the in-flight deployment `arn`: ECS returns the service. */
  | { kind: 'stop'; arn: string }
  /** ECS already returns the service by itself (`arn`: its record, when known). */
  | { kind: 'ecs'; arn: string | null }
  /**
   * Nothing to start: a change resumed after a restart, begun at `since`; `strategy` is the
   * service's as read on resume (a traffic shift is then followed stage by stage, as when fresh).
   */
  | { kind: 'resume'; since: number; strategy?: DeploymentStrategyInfo };

export interface RolloutPhasePlan {
  run: Pick<ChangeRun, 'emit' | 'iso' | 'actor' | 'id'>;
  svc: NamedService;
  to: string;
  start: RolloutStart;
  phase: PhaseName;
  seenEvents: Set<string>;
  signal?: AbortSignal;
  /** The release's SHA, for the checks a blue/green deployment runs on test traffic and during the bake. */
  expectSha?: string | null;
}

export type RolloutPhaseResult = WatchVerdict | { status: 'not_started'; reason: string; state: null };

/** The service-deployment calls of one service, as the watch reads them. */
export function serviceDeploymentReader(ctx: EngineContext, svc: NamedService): ServiceDeploymentReader {
  return {
    async read(taskDefinition, sinceMs, arn) {
      if (arn) return (await ctx.ecs.describeServiceDeployments(svc.region, [arn]))[0] ?? null;
      const listed = await ctx.ecs.listServiceDeployments(svc.region, svc.cluster, svc.service, {
        createdAfter: new Date(sinceMs - CREATED_AT_SKEW_MS),
      });
      if (!listed.length) return null;
      const described = await ctx.ecs.describeServiceDeployments(
        svc.region,
        listed.slice(0, 10).map((d) => d.arn),
      );
      return described.find((d) => d.targetTaskDefinition === taskDefinition) ?? null;
    },
  };
}

export async function runRolloutPhase(ctx: EngineContext, p: RolloutPhasePlan): Promise<RolloutPhaseResult> {
  const { svc, run } = p;
  let ours: OurDeployment & { strategy?: DeploymentStrategyInfo };
  try {
    ours = await startRollout(ctx, p);
  } catch (error) {
    // Not an exception for the change: a rollout that never started is a verdict, its reason quoted in the result.
    const call = p.start.kind === 'stop' ? 'StopServiceDeployment' : 'UpdateService';
    return { status: 'not_started', reason: `${call} failed: ${describeError(error)}`, state: null };
  }
  let lastKey = '';
  const onProgress = (state: ServiceState) => {
    const d = state.deployments.find((x) => x.taskDefinition === p.to) ?? primaryDeployment(state);
    if (!d) return;
    const key = `${d.taskDefinition}|${d.runningCount}|${d.desiredCount}|${d.pendingCount}|${d.rolloutState ?? ''}`;
    if (key === lastKey) return;
    lastKey = key;
    run.emit({
      type: 'progress',
      phase: p.phase,
      taskDefinition: d.taskDefinition,
      running: d.runningCount,
      desired: d.desiredCount,
      pending: d.pendingCount,
      rolloutState: d.rolloutState ?? null,
    });
  };
  const serviceDeployments = serviceDeploymentReader(ctx, svc);
  const followed = await followIfTrafficShift(
    ctx,
    {
      svc,
      run,
      expectSha: p.expectSha ?? null,
      seenEvents: p.seenEvents,
      signal: p.signal,
      onProgress,
      serviceDeployments,
    },
    ours,
    ours.strategy,
  );
  if (followed) return followed;
  return watchDeployment({
    ours,
    ecsRollback: p.start.kind === 'stop' || p.start.kind === 'ecs',
    poll: () => ctx.poller.next(svc.region, svc.cluster, svc.service, svc.timeouts.poll),
    serviceDeployments,
    stoppedTasks: () =>
      ctx.ecs.listStoppedTasks(svc.region, svc.cluster, svc.service, new Date(ours.updatedAt - CREATED_AT_SKEW_MS)),
    clock: ctx.clock,
    pollMs: svc.timeouts.poll,
    timeoutMs: svc.timeouts.stabilize,
    noProgressMs: svc.timeouts.noProgress,
    signal: p.signal,
    seenEvents: p.seenEvents,
    onEvent: (event) => run.emit({ type: 'service_event', event }),
    onProgress,
  });
}

/** Makes the call that starts the deployment, and says which deployment to watch. */
async function startRollout(
  ctx: EngineContext,
  p: RolloutPhasePlan,
): Promise<OurDeployment & { strategy?: DeploymentStrategyInfo }> {
  const { svc, run, start } = p;
  const now = ctx.clock.now();
  switch (start.kind) {
    case 'update': {
      const answer = await ctx.ecs.updateService(svc.region, {
        cluster: svc.cluster,
        service: svc.service,
        taskDefinition: p.to,
        ...(start.force ? { forceNewDeployment: true } : {}),
      });
      await writeAudit(ctx, {
        actor: run.actor,
        action: 'ecs.update_service',
        service: svc.name,
        details: { changeId: run.id, taskDefinition: p.to, ...(start.force ? { forceNewDeployment: true } : {}) },
      });
      return { ...ourDeploymentFrom(answer, p.to, now), strategy: answer.deploymentStrategy };
    }
    case 'stop':
      await ctx.ecs.stopServiceDeployment(svc.region, start.arn, 'ROLLBACK');
      await writeAudit(ctx, {
        actor: run.actor,
        action: 'ecs.stop_service_deployment',
        service: svc.name,
        details: { changeId: run.id, serviceDeploymentArn: start.arn, stopType: 'ROLLBACK' },
      });
      // ECS returns to the rollback point: any settled deployment of it will do.
      return { id: null, taskDefinition: p.to, updatedAt: 0, serviceDeploymentArn: start.arn };
    case 'ecs':
      return { id: null, taskDefinition: p.to, updatedAt: 0, serviceDeploymentArn: start.arn };
    case 'resume':
      // A traffic shift is found by its record: to our revision, created since the change began.
      if (followsTraffic(start.strategy))
        return {
          id: null,
          taskDefinition: p.to,
          updatedAt: start.since,
          serviceDeploymentArn: null,
          strategy: start.strategy,
        };
      // Rolling: the record names the revision, and any deployment of it is ours (ECS's clock may differ from ours).
      return { id: null, taskDefinition: p.to, updatedAt: 0, serviceDeploymentArn: null };
  }
}
