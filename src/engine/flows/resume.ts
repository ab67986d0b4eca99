/**
 * Resume: take over a change whose process stopped mid-flight, then keep watching our revision and
 * verify it, or roll back when the service no longer runs it. A blue/green, linear or canary
 * deployment is followed through its remaining stages, where ECS's service-deployment API answers.
 */
import { getService } from '../../config/load';
import { CodedError, ErrorCodes } from '../../errors';
import type { ChangeResult, DeployRecord, EventListener } from '../model';
import { errorInfo } from '../change/results';
import { runningTaskDefinition } from '../watch/rollout';
import { shortTaskDefinition } from '../validate';
import { applyAndVerify } from '../watch/verify';
import { unlessCancelled, type FlowDeps } from './flow-deps';
import { followsTraffic } from '../blue-green/rollout-hook';
import type { DeploymentStrategyInfo } from '../service-deployment';
import type { ServiceState } from '../types';
import type { WatchVerdict } from '../watch/watch-deployment';
import { revertAndFinish, type RevertInput } from './revert';

/** Null when another process took the change over first (or it finished meanwhile). */
export async function resume(deps: FlowDeps, rec: DeployRecord, onEvent?: EventListener): Promise<ChangeResult | null> {
  const { ctx, lifecycle } = deps;
  const svc = getService(ctx.config, rec.service);
  const adopted = await lifecycle.adopt(rec, onEvent);
  if (!adopted) return null;
  const { run, signal } = adopted;
  const { sha, digest, fromTaskDefinition, toTaskDefinition } = rec;
  const fields: Partial<ChangeResult> = { sha, digest, fromTaskDefinition, toTaskDefinition };
  try {
    const [state] = await ctx.ecs.describeServices(svc.region, svc.cluster, [svc.service]);
    const to = rec.toTaskDefinition;
    const from = rec.fromTaskDefinition;
    const missing = `${rec.id} names no task definition to watch or return to`;
    if (!to || !from) throw new CodedError(ErrorCodes.taskDefinitionNotFound, missing);
    const seenEvents = new Set(state.events.map((e) => e.id));
    const started = Date.parse(rec.startedAt);
    const gone = { run, svc, from, common: fields, seenEvents, started };
    if (!state.deployments.some((d) => d.taskDefinition === to)) return await noLongerRunsOurs(deps, gone, state, to);
    // A traffic shift is followed stage by stage (test checks, pause, bake), as a fresh deploy is.
    const verified = await unlessCancelled(
      lifecycle,
      run,
      await applyAndVerify(ctx, {
        run,
        svc,
        to,
        expectSha: rec.sha,
        skipSmoke: false,
        alreadyApplied: true,
        seenEvents,
        sinceMs: started,
        signal,
        rolloutPhase: 'rollout',
        checkLogs: rec.kind === 'deploy',
        start: { kind: 'resume', since: started, strategy: state.deploymentStrategy },
      }),
    );
    const common = { ...fields, smoke: verified.smoke, targets: verified.targets, logs: verified.logs };
    if (verified.ok)
      return await lifecycle.finish(run, {
        ...common,
        outcome: 'succeeded',
        finalTaskDefinition: to,
        summary: `${svc.name}: resumed after a restart; ${shortTaskDefinition(to)} verified`,
      });
    return await revertAndFinish(deps, { run, svc, from, verified, common, seenEvents, started });
  } catch (e) {
    const info = errorInfo(e);
    return await lifecycle.finish(run, {
      ...fields,
      outcome: 'rollback_failed',
      error: info,
      finalTaskDefinition: null,
      summary: `${svc.name}: could not resume ${rec.id}: ${info.message}; a person must look`,
    });
  } finally {
    await lifecycle.end(run);
  }
}

/** The service no longer runs our revision after the restart: the way back, as after a failed rollout. */
async function noLongerRunsOurs(
  deps: FlowDeps,
  input: Omit<RevertInput, 'verified'>,
  state: ServiceState,
  to: string,
): Promise<ChangeResult> {
  const failure = {
    phase: 'rollout' as const,
    reason: `the process running this change stopped; on restart the service ran ${shortTaskDefinition(runningTaskDefinition(state))}, not ${shortTaskDefinition(to)}`,
  };
  const watch = returnedToBlue(state, input.from, state.deploymentStrategy, failure.reason);
  const verified = { ok: false, failure, state, smoke: [], targets: [], logs: null, watch };
  return revertAndFinish(deps, { ...input, verified });
}

/**
 * A traffic shift that ECS already undid while nobody watched (a pause timed out, an alarm): blue
 * serves again, so the way back verifies it instead of starting another deployment.
 */
function returnedToBlue(
  state: ServiceState,
  from: string,
  strategy: DeploymentStrategyInfo | undefined,
  reason: string,
): WatchVerdict | undefined {
  if (!followsTraffic(strategy) || runningTaskDefinition(state) !== from) return undefined;
  return {
    status: 'ecs_rolled_back',
    state,
    source: 'deployments array',
    serviceDeploymentArn: null,
    reason,
    to: from,
  };
}
