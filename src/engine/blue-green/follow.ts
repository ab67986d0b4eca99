/**
 * Follows our blue/green, linear or canary deployment through ECS's lifecycle stages: reports the
 * stage and the traffic on green, verifies green on test traffic before production moves, stops
 * at a PAUSE hook until someone (or `blueGreen.autoContinue`) answers, watches the bake, and
 * rolls back through ECS (a traffic switch to blue) as soon as one of our checks fails.
 * Success is ECS's SUCCESSFUL for our service deployment, with the service settled on it.
 */
import type { NamedService } from '../../config/schema';
import { describeError } from '../../errors';
import type { ChangeRun } from '../change/change-run';
import type { EngineContext } from '../context';
import { ecsFailureReason, judgeServiceDeployment } from '../watch/ecs-verdict';
import { DeploymentsArrayJudge, type OurDeployment } from '../watch/our-deployment';
import { abortReason, reportNewEvents } from '../watch/rollout';
import {
  isApiUnavailable,
  pausedHook,
  type DeploymentStrategyInfo,
  type LifecycleHookState,
  type ServiceDeployment,
} from '../service-deployment';
import { isTransientError, ReadFailures } from '../watch/transient';
import type { ServiceState } from '../types';
import type { WatchVerdict } from '../watch/watch-deployment';
import { checkBake, checkTestTraffic, splitTargetGroups, type CheckVerdict } from './checks';
import { inProductionWindow, productionOnGreen, progressKey, readyForTestChecks, trafficProgress } from './progress';
import { PROMOTE_AUDIT, Promotions } from './promotions';
import { writeAudit } from '../change/audit';

export interface FollowPlan {
  ctx: EngineContext;
  svc: NamedService;
  run: Pick<ChangeRun, 'emit' | 'iso' | 'actor' | 'id'>;
  ours: OurDeployment;
  strategy: DeploymentStrategyInfo;
  expectSha: string | null;
  seenEvents: Set<string>;
  signal?: AbortSignal;
  poll: () => Promise<ServiceState>;
  read: (arn: string | null) => Promise<ServiceDeployment | null>;
  onProgress: (state: ServiceState) => void;
}

/** `fallback`: ECS's service-deployment API does not answer here; the caller watches the deployments array. */
export type FollowVerdict = WatchVerdict | { status: 'fallback' };

const UNSEEN_MS = 60_000;

/** How often the bake watch runs its checks: every poll, at least 5 s apart. */
const bakeEvery = (pollMs: number) => Math.max(pollMs, 5_000);

export async function followTrafficShift(p: FollowPlan): Promise<FollowVerdict> {
  const { ctx, svc, run } = p;
  const clock = ctx.clock;
  const started = clock.now();
  const split = await splitTargetGroups(ctx, svc, p.strategy.loadBalancers[0]);
  const judge = new DeploymentsArrayJudge(p.ours);
  const promotions = new Promotions(ctx);
  const pausesAfterTest = p.strategy.lifecycleHooks.some(
    (h) => h.targetType === 'PAUSE' && h.stages.includes('POST_TEST_TRAFFIC_SHIFT'),
  );
  const budgetMs = svc.timeouts.stabilize + (p.strategy.bakeTimeInMinutes ?? 0) * 60_000;
  let arn = p.ours.serviceDeploymentArn;
  let last: ServiceState | null = null;
  let record: ServiceDeployment | null = null;
  const failures = new ReadFailures(clock, svc.timeouts.poll);
  let pausedMs = 0;
  let pausedSince: number | null = null;
  let announced: LifecycleHookState | null = null;
  let tested: CheckVerdict | null = null;
  let productionSince: number | null = null;
  let bakeSince: number | null = null;
  let lastBake = Number.NEGATIVE_INFINITY;
  let lastKey = '';
  const base = () => ({ state: last, source: 'service deployment' as const, serviceDeploymentArn: arn });
  const back = (reason: string, requested: boolean): WatchVerdict => ({
    ...base(),
    status: 'ecs_rolled_back',
    reason,
    to: null,
    requestedRollback: requested,
    targetGroupArn: split.blue,
  });

  for (;;) {
    const now = clock.now();
    if (p.signal?.aborted)
      return { ...base(), status: 'cancelled', reason: abortReason(p.signal), inFlight: record !== null };
    const moving = now - started - pausedMs - (pausedSince !== null ? now - pausedSince : 0);
    if (pausedSince === null && moving >= budgetMs) {
      // Say so when the reads were failing at the end: the deployment may have moved on unseen.
      const unread = failures.describe('the service', secs);
      const reading = unread ? `; ${unread}` : '';
      return record
        ? {
            ...base(),
            status: 'timeout',
            inFlight: true,
            reason: `the ${p.strategy.kind} deployment did not finish within ${secs(budgetMs)} (at ${record.lifecycleStage ?? record.status})${reading}`,
          }
        : {
            ...base(),
            status: 'unseen',
            reason: `ECS did not show our deployment within ${secs(now - started)}${reading}`,
          };
    }
    try {
      last = await p.poll();
      failures.succeeded();
    } catch (error) {
      if (failures.failed(error))
        return {
          ...base(),
          status: 'error',
          inFlight: record !== null,
          reason: `could not read the service: ${describeError(error)}`,
        };
      await clock.sleep(svc.timeouts.poll, p.signal);
      continue;
    }
    reportNewEvents(last, p.seenEvents, (event) => run.emit({ type: 'service_event', event }));
    p.onProgress(last);
    try {
      record = (await p.read(arn)) ?? record;
    } catch (error) {
      if (isApiUnavailable(error)) return { status: 'fallback' };
      if (!isTransientError(error))
        ctx.logger.warn({ err: error, service: svc.name }, 'could not read the service deployment');
      continue;
    }
    if (!record) {
      if (clock.now() - started >= UNSEEN_MS)
        return {
          ...base(),
          status: 'unseen',
          reason: `ECS did not show our service deployment within ${secs(clock.now() - started)}`,
        };
      continue;
    }
    arn = record.arn;
    const at = clock.now();
    if ((productionOnGreen(record) ?? 0) > 0) productionSince ??= at;
    if (record.lifecycleStage === 'BAKE_TIME') bakeSince ??= at;
    const progress = trafficProgress(record, at, bakeSince);
    if (progressKey(progress) !== lastKey) {
      lastKey = progressKey(progress);
      run.emit({ type: 'traffic', traffic: progress });
    }
    const settled = judge.observe(last);

    const verdict = judgeServiceDeployment(record);
    switch (verdict.kind) {
      case 'succeeded':
        if (settled.kind === 'completed')
          return { ...base(), status: 'completed', state: last, targetGroupArn: split.green };
        continue;
      case 'ecs_rolling_back': {
        const by = announced ? await promotions.answeredBy(svc.name, announced.hookId).catch(() => null) : null;
        if (announced && by?.action === 'ROLLBACK') {
          run.emit({ type: 'hook_answered', hookId: announced.hookId, action: 'ROLLBACK', by: by.name });
          return back(`${by.name} rolled back at the pause; production traffic never moved to green`, true);
        }
        const timedOut = record.hooks.find((h) => h.status === 'TIMED_OUT');
        if (announced && timedOut)
          run.emit({
            type: 'hook_answered',
            hookId: timedOut.hookId,
            action: timedOut.timeoutAction ?? 'ROLLBACK',
            by: 'timeout',
          });
        return back(ecsRollbackReason(record, productionSince, at), false);
      }
      case 'rollback_failed':
        return { ...base(), status: 'ecs_rollback_failed', reason: verdict.reason };
      case 'stopped':
        return { ...base(), status: 'failed', inFlight: false, reason: verdict.reason };
      case 'in_flight':
        break;
    }

    const hook = pausedHook(record);
    if (!tested && readyForTestChecks(record, pausesAfterTest)) {
      tested = await checkTestTraffic(ctx, svc, {
        expectSha: p.expectSha,
        greenTargetGroup: split.green,
        expectedTargets: record.targetRevision?.requestedTaskCount ?? 1,
        signal: p.signal,
      });
      run.emit({
        type: 'test_checks',
        passed: tested.passed,
        reason: tested.reason,
        smoke: tested.smoke,
        targets: tested.targets,
      });
      if (!tested.passed) {
        const reason = `green failed on test traffic: ${tested.reason}; production traffic never moved to green`;
        return (await requestRollback(p, record, hook ?? null, reason)) ?? back(reason, true);
      }
    }
    if (hook && hook.hookId !== announced?.hookId) {
      announced = hook;
      pausedSince = at;
      const passed = tested?.passed ?? true;
      run.emit({
        type: 'paused',
        pause: {
          serviceDeploymentArn: record.arn,
          hookId: hook.hookId,
          stage: record.lifecycleStage,
          expiresAt: hook.expiresAt?.toISOString() ?? null,
          timeoutAction: hook.timeoutAction,
          passed,
          checks: tested?.reason ?? 'no checks at this stage',
          autoContinue: svc.blueGreen.autoContinue,
        },
      });
      if (svc.blueGreen.autoContinue) await autoContinue(p, record, hook);
    } else if (!hook && announced && pausedSince !== null) {
      pausedMs += at - pausedSince;
      pausedSince = null;
      const answer = record.hooks.find((h) => h.hookId === announced!.hookId);
      const by = await promotions.answeredBy(svc.name, announced.hookId).catch(() => null);
      const action =
        answer?.status === 'TIMED_OUT' ? (announced.timeoutAction ?? 'ROLLBACK') : (by?.action ?? 'CONTINUE');
      run.emit({
        type: 'hook_answered',
        hookId: announced.hookId,
        action,
        by:
          answer?.status === 'TIMED_OUT'
            ? 'timeout'
            : (by?.name ?? (svc.blueGreen.autoContinue ? 'autoContinue' : 'someone outside ecs-chatops')),
      });
    }

    if (productionSince !== null && inProductionWindow(record) && at - lastBake >= bakeEvery(svc.timeouts.poll)) {
      lastBake = at;
      const bake = await checkBake(ctx, svc, {
        record,
        expectSha: p.expectSha,
        productionSince,
        fullyShifted: (productionOnGreen(record) ?? 100) >= 100,
        signal: p.signal,
      });
      if (!bake.passed) {
        if (bake.smoke.length) run.emit({ type: 'smoke', results: bake.smoke });
        const onGreen = clock.now() - productionSince;
        const reason = `green failed while production traffic was on it (${record.lifecycleStage}): ${bake.reason}; production traffic was on the failed release for ${secs(onGreen)}`;
        return (await requestRollback(p, record, null, reason)) ?? back(reason, true);
      }
    }
  }
}

/** Asks ECS to return production (and test) traffic to blue. Null when asked; a verdict when ECS refused. */
async function requestRollback(
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

async function autoContinue(p: FollowPlan, record: ServiceDeployment, hook: LifecycleHookState): Promise<void> {
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

function ecsRollbackReason(record: ServiceDeployment, productionSince: number | null, now: number): string {
  const timedOut = record.hooks.find((h) => h.status === 'TIMED_OUT');
  const exposure =
    productionSince === null
      ? '; production traffic never moved to green'
      : `; production traffic was on the failed release for ${secs(now - productionSince)}`;
  if (timedOut)
    return `nobody answered the pause before it expired${timedOut.expiresAt ? ` (${timedOut.expiresAt.toISOString()})` : ''}; ECS applied its timeout action ${timedOut.timeoutAction ?? 'ROLLBACK'}${exposure}`;
  return `ECS rolled back: ${ecsFailureReason(record)}${exposure}`;
}

function secs(ms: number): string {
  return ms >= 120_000 ? `${Math.round(ms / 60_000)}m` : `${Math.round(ms / 1000)}s`;
}
