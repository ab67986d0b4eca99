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
import { judgeServiceDeployment } from '../watch/ecs-verdict';
import type { OurDeployment } from '../watch/our-deployment';
import { abortReason, reportNewEvents } from '../watch/rollout';
import { secs, UNSEEN_MS } from '../clock';
import {
  isApiUnavailable,
  pausedHook,
  type DeploymentStrategyInfo,
  type ServiceDeployment,
} from '../service-deployment';
import { isTransientError } from '../watch/transient';
import type { ServiceState } from '../types';
import type { WatchVerdict } from '../watch/watch-deployment';
import { checkBake, checkTestTraffic } from './checks';
import { inProductionWindow, productionOnGreen, progressKey, readyForTestChecks, trafficProgress } from './progress';
import { answeredBy, autoContinue, ecsRollbackReason, requestRollback } from './follow-actions';
import { back, base, pauseInfo, startFollow, type Follow, type Next } from './follow-state';

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

/** How often the bake watch runs its checks: every poll, at least 5 s apart. */
const bakeEvery = (pollMs: number) => Math.max(pollMs, 5_000);

export async function followTrafficShift(p: FollowPlan): Promise<FollowVerdict> {
  const f = await startFollow(p);
  for (;;) {
    const next = await round(f);
    if (next !== 'again') return next;
  }
}

/** One round: read the service and our deployment, judge, then the checks and the pause. */
async function round(f: Follow): Promise<FollowVerdict | 'again'> {
  const read = endedByTime(f) ?? (await pollService(f)) ?? (await readRecord(f));
  if (read) return read;
  const { last, record } = f.s;
  if (!last || !record) return 'again';
  const next = (await judgeRecord(f, last, record)) ?? (await testTraffic(f, record));
  if (next) return next;
  await trackPause(f, record);
  return (await bake(f, record)) ?? 'again';
}

/** Cancelled, or out of time (pauses do not count: a person may take their time to answer). */
function endedByTime(f: Follow): Next {
  const { p, s } = f;
  const now = p.ctx.clock.now();
  if (p.signal?.aborted)
    return { ...base(f), status: 'cancelled', reason: abortReason(p.signal), inFlight: s.record !== null };
  const moving = now - s.started - s.pausedMs - (s.pausedSince !== null ? now - s.pausedSince : 0);
  if (s.pausedSince !== null || moving < f.budgetMs) return undefined;
  // Say so when the reads were failing at the end: the deployment may have moved on unseen.
  const unread = f.failures.describe('the service', secs);
  const reading = unread ? `; ${unread}` : '';
  if (!s.record)
    return {
      ...base(f),
      status: 'unseen',
      reason: `ECS did not show our deployment within ${secs(now - s.started)}${reading}`,
    };
  const at = s.record.lifecycleStage ?? s.record.status;
  return {
    ...base(f),
    status: 'timeout',
    inFlight: true,
    reason: `the ${p.strategy.kind} deployment did not finish within ${secs(f.budgetMs)} (at ${at})${reading}`,
  };
}

async function pollService(f: Follow): Promise<Next> {
  const { p, s } = f;
  try {
    s.last = await p.poll();
    f.failures.succeeded();
  } catch (error) {
    if (f.failures.failed(error))
      return {
        ...base(f),
        status: 'error',
        inFlight: s.record !== null,
        reason: `could not read the service: ${describeError(error)}`,
      };
    await p.ctx.clock.sleep(p.svc.timeouts.poll, p.signal);
    return 'again';
  }
  reportNewEvents(s.last, p.seenEvents, (event) => p.run.emit({ type: 'service_event', event }));
  p.onProgress(s.last);
  return undefined;
}

/** Reads our service deployment and reports its traffic; `fallback` where the API does not answer. */
async function readRecord(f: Follow): Promise<Next> {
  const { p, s } = f;
  const clock = p.ctx.clock;
  try {
    s.record = (await p.read(s.arn)) ?? s.record;
  } catch (error) {
    if (isApiUnavailable(error)) return { status: 'fallback' };
    // Transient errors are read again next round without a word; others are worth a line.
    if (!isTransientError(error))
      p.ctx.logger.warn({ err: error, service: p.svc.name }, 'could not read the service deployment');
    return 'again';
  }
  if (!s.record) {
    if (clock.now() - s.started < UNSEEN_MS) return 'again';
    return {
      ...base(f),
      status: 'unseen',
      reason: `ECS did not show our service deployment within ${secs(clock.now() - s.started)}`,
    };
  }
  s.arn = s.record.arn;
  s.at = clock.now();
  if ((productionOnGreen(s.record) ?? 0) > 0) s.productionSince ??= s.at;
  if (s.record.lifecycleStage === 'BAKE_TIME') s.bakeSince ??= s.at;
  const progress = trafficProgress(s.record, s.at, s.bakeSince);
  if (progressKey(progress) !== s.lastKey) {
    s.lastKey = progressKey(progress);
    p.run.emit({ type: 'traffic', traffic: progress });
  }
  return undefined;
}

/** ECS's word on our deployment: done (once the service settled), rolling back, or failed. */
async function judgeRecord(f: Follow, last: ServiceState, record: ServiceDeployment): Promise<Next> {
  const { p, s } = f;
  const settled = f.judge.observe(last);
  const verdict = judgeServiceDeployment(record);
  switch (verdict.kind) {
    case 'succeeded':
      return settled.kind === 'completed'
        ? { ...base(f), status: 'completed', state: last, targetGroupArn: f.split.green }
        : 'again';
    case 'ecs_rolling_back': {
      const announced = s.announced;
      const by = announced ? await answeredBy(p, f.promotions, announced.hookId) : null;
      if (announced && by?.action === 'ROLLBACK') {
        p.run.emit({ type: 'hook_answered', hookId: announced.hookId, action: 'ROLLBACK', by: by.name });
        return back(f, `${by.name} rolled back at the pause; production traffic never moved to green`, true);
      }
      const timedOut = record.hooks.find((h) => h.status === 'TIMED_OUT');
      if (announced && timedOut) {
        const action = timedOut.timeoutAction ?? 'ROLLBACK';
        p.run.emit({ type: 'hook_answered', hookId: timedOut.hookId, action, by: 'timeout' });
      }
      return back(f, ecsRollbackReason(record, s.productionSince, s.at), false);
    }
    case 'rollback_failed':
      return { ...base(f), status: 'ecs_rollback_failed', reason: verdict.reason };
    case 'stopped':
      return { ...base(f), status: 'failed', inFlight: false, reason: verdict.reason };
    case 'in_flight':
      return undefined;
  }
}

/** Once green takes test traffic (before production moves): check it, and roll back when it fails. */
async function testTraffic(f: Follow, record: ServiceDeployment): Promise<Next> {
  const { p, s } = f;
  if (s.tested || !readyForTestChecks(record, f.pausesAfterTest)) return undefined;
  const tested = await checkTestTraffic(p.ctx, p.svc, {
    expectSha: p.expectSha,
    greenTargetGroup: f.split.green,
    expectedTargets: record.targetRevision?.requestedTaskCount ?? 1,
    signal: p.signal,
  });
  s.tested = tested;
  const { passed, reason, smoke, targets } = tested;
  p.run.emit({ type: 'test_checks', passed, reason, smoke, targets });
  if (passed) return undefined;
  const why = `green failed on test traffic: ${reason}; production traffic never moved to green`;
  return (await requestRollback(p, record, pausedHook(record) ?? null, why)) ?? back(f, why, true);
}

/** A new pause is announced (and answered when autoContinue is on); the end of one says who answered it. */
async function trackPause(f: Follow, record: ServiceDeployment): Promise<void> {
  const { p, s } = f;
  const { svc, run } = p;
  const hook = pausedHook(record);
  const announced = s.announced;
  if (hook && hook.hookId !== announced?.hookId) {
    s.announced = hook;
    s.pausedSince = s.at;
    run.emit({ type: 'paused', pause: pauseInfo(f, record, hook) });
    if (svc.blueGreen.autoContinue) await autoContinue(p, record, hook);
    return;
  }
  if (hook || !announced || s.pausedSince === null) return;
  s.pausedMs += s.at - s.pausedSince;
  s.pausedSince = null;
  const timedOut = record.hooks.find((h) => h.hookId === announced.hookId)?.status === 'TIMED_OUT';
  const by = await answeredBy(p, f.promotions, announced.hookId);
  const action = timedOut ? (announced.timeoutAction ?? 'ROLLBACK') : (by?.action ?? 'CONTINUE');
  const outside = svc.blueGreen.autoContinue ? 'autoContinue' : 'someone outside ecs-chatops';
  run.emit({
    type: 'hook_answered',
    hookId: announced.hookId,
    action,
    by: timedOut ? 'timeout' : (by?.name ?? outside),
  });
}

/** While production traffic is on green: the bake checks, every poll (at least 5 s apart). */
async function bake(f: Follow, record: ServiceDeployment): Promise<Next> {
  const { p, s } = f;
  const since = s.productionSince;
  if (since === null || !inProductionWindow(record) || s.at - s.lastBake < bakeEvery(p.svc.timeouts.poll))
    return undefined;
  s.lastBake = s.at;
  const checked = await checkBake(p.ctx, p.svc, {
    record,
    expectSha: p.expectSha,
    productionSince: since,
    fullyShifted: (productionOnGreen(record) ?? 100) >= 100,
    signal: p.signal,
  });
  if (checked.passed) return undefined;
  if (checked.smoke.length) p.run.emit({ type: 'smoke', results: checked.smoke });
  const onGreen = secs(p.ctx.clock.now() - since);
  const stage = record.lifecycleStage ?? record.status;
  const reason = `green failed while production traffic was on it (${stage}): ${checked.reason}; production traffic was on the failed release for ${onGreen}`;
  return (await requestRollback(p, record, null, reason)) ?? back(f, reason, true);
}
