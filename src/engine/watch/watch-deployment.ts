/**
 * Watches the deployment our UpdateService started, and only that one, to ECS's verdict.
 * ECS's service-deployment record decides where the API answers; the deployments array is the
 * fallback. Stale reads keep the watch polling; transient errors are retried until the timeout;
 * a stuck rollout fails early once ECS says it cannot start our tasks.
 */
import { UNSEEN_MS } from '../clock';
import type { ServiceState } from '../types';
import type { EcsVerdict } from './ecs-verdict';
import { findOurs, type ArrayVerdict } from './our-deployment';
import { abortReason, reportNewEvents } from './rollout';
import { findStuckSignal, type StoppedTaskFacts } from './stuck-rollout';
import {
  apiDropped,
  base,
  elapsed,
  newWatch,
  readRecord,
  readService,
  seen,
  timedOut,
  unseenReason,
  type WatchState,
} from './watch-state';
import type { WatchDeploymentOptions, WatchVerdict } from './watch-types';

export type { ServiceDeploymentReader, VerdictSource, WatchDeploymentOptions, WatchVerdict } from './watch-types';

/**
 * Polls until ECS's verdict on our deployment (or, with `ecsRollback`, on ECS returning the
 * service), the timeout, or the abort signal. Never throws: failures are verdicts.
 */
export async function watchDeployment(o: WatchDeploymentOptions): Promise<WatchVerdict> {
  const w = newWatch(o);
  for (;;) {
    if (o.signal?.aborted) return { ...base(w), status: 'cancelled', reason: abortReason(o.signal), inFlight: seen(w) };
    const late = timedOut(w);
    if (late) return late;
    const read = await readService(w);
    if (!read) continue;
    if ('end' in read) return read.end;
    reportNewEvents(read.state, o.seenEvents, o.onEvent);
    o.onProgress(read.state);
    const verdict = o.ecsRollback ? await rollbackStep(w, read.state) : await rolloutStep(w, read.state);
    if (verdict) return verdict;
  }
}

/** Watching ECS return the service: done once its record says ROLLBACK_SUCCESSFUL (where it answers) and the service runs it. */
async function rollbackStep(w: WatchState, state: ServiceState): Promise<WatchVerdict | null> {
  let recordDone = !w.sd || !w.arn;
  if (w.sd && w.arn) {
    const v = await readRecord(w);
    if (v?.kind === 'rollback_failed') return { ...base(w), status: 'ecs_rollback_failed', reason: v.reason };
    recordDone = apiDropped(w) || (v?.kind === 'ecs_rolling_back' && v.done);
  }
  const verdict = w.judge.observe(state, w.o.clock.now());
  return recordDone && verdict.kind === 'completed' ? { ...base(w), status: 'completed', state } : null;
}

/** Watching our deployment: ECS's record decides where it answers, the deployments array elsewhere. */
async function rolloutStep(w: WatchState, state: ServiceState): Promise<WatchVerdict | null> {
  const v = await readRecord(w);
  if (v) {
    w.sdSucceeded = v.kind === 'succeeded';
    const byEcs = recordVerdict(w, v);
    if (byEcs) return byEcs;
  }
  const verdict = w.judge.observe(state, w.o.clock.now());
  // Unseen is judged on reads that answered: time spent unable to read says nothing.
  if (!seen(w) && elapsed(w) >= (w.o.unseenMs ?? UNSEEN_MS))
    return { ...base(w), status: 'unseen', reason: unseenReason(w) };
  const decided = w.sd && w.arn && w.sdSeen ? bothAgree(w, verdict, state) : arrayVerdict(w, verdict, state);
  if (decided) return decided;
  return seen(w) ? stuckStep(w, state) : null;
}

/** Judged by ECS's record: its SUCCESSFUL, confirmed by a read that shows ours settled (reads may lag the record). */
function bothAgree(w: WatchState, verdict: ArrayVerdict, state: ServiceState): WatchVerdict | null {
  return w.sdSucceeded && verdict.kind === 'completed' ? { ...base(w), status: 'completed', state } : null;
}

/** Judged by the deployments array alone (no record of ours, or no API). */
function arrayVerdict(w: WatchState, verdict: ArrayVerdict, state: ServiceState): WatchVerdict | null {
  switch (verdict.kind) {
    case 'completed':
      return { ...base(w), status: 'completed', state };
    case 'failed':
      return { ...base(w), status: 'failed', reason: verdict.reason, inFlight: false };
    case 'ecs_rolled_back':
      return { ...base(w), status: 'ecs_rolled_back', reason: verdict.reason, to: verdict.to };
    case 'stale':
    case 'progress':
      return null;
  }
}

/** The verdicts ECS's record gives by itself: it rolled back, its rollback failed, or it stopped ours. */
function recordVerdict(w: WatchState, v: EcsVerdict): WatchVerdict | null {
  switch (v.kind) {
    case 'ecs_rolling_back':
      return { ...base(w), status: 'ecs_rolled_back', reason: `ECS rolled back: ${v.reason}`, to: null };
    case 'rollback_failed':
      return { ...base(w), status: 'ecs_rollback_failed', reason: v.reason };
    case 'stopped':
      return { ...base(w), status: 'failed', reason: v.reason, inFlight: false };
    case 'in_flight':
    case 'succeeded':
      return null;
  }
}

/** A stuck rollout: ECS said it cannot start our tasks (at once when that cannot heal) and none started since. */
async function stuckStep(w: WatchState, state: ServiceState): Promise<WatchVerdict | null> {
  const { o } = w;
  const ours = findOurs(state, o.ours);
  const running = ours?.runningCount ?? 0;
  const stopped = o.stoppedTasks && ours && running < ours.desiredCount ? await readStopped(o.stoppedTasks) : [];
  const signal = findStuckSignal(state.events, stopped, o.ours.taskDefinition, w.stuck.signalsSince);
  const finding = w.stuck.observe(o.clock.now(), signal, running);
  return finding ? { ...base(w), status: 'stuck', reason: finding.reason, inFlight: true, stuck: finding } : null;
}

async function readStopped(read: () => Promise<StoppedTaskFacts[]>): Promise<StoppedTaskFacts[]> {
  try {
    return await read();
  } catch {
    return []; // the stopped tasks only sharpen the rule; events still drive it
  }
}
