/** Emergency stop (desired count 0, keeping the old count) and restart (restoring it). */
import type { ChangeAction, NamedService } from '../config/schema';
import { getService } from '../config/load';
import { CodedError, ErrorCodes } from '../errors';
import type { ChangeResultSimple, RestartRequest, StopRequest } from './api';
import type { ChangeRun } from './change-run';
import type { EngineContext } from './context';
import type { ChangeKind, DeployResult, EventListener, Outcome } from './model';
import { exitCodeFor } from './model';
import { classifyErrorCode, errorInfo, invalidInput } from './results';
import { primaryDeployment, reportNewEvents, runningTaskDefinition } from './rollout';
import type { Actor, ServiceState } from './types';
import { formatDuration } from '../config/duration';

export interface ScaleHooks {
  begin(kind: ChangeKind, svc: NamedService, actor: Actor, onEvent?: EventListener): { refused: DeployResult } | { run: ChangeRun; abort: AbortController };
  release(service: string, changeId: string): void;
  approvalPhase(run: ChangeRun, svc: NamedService, action: ChangeAction, req: { actor: Actor; approvalId?: string }): Promise<void>;
}

type ScaleRequest = ({ kind: 'stop' } & StopRequest) | ({ kind: 'restart' } & RestartRequest);

function simple(service: string, changeId: string | null, outcome: ChangeResultSimple['outcome'], summary: string, extra: Partial<ChangeResultSimple> = {}): ChangeResultSimple {
  const exitCode = outcome === 'succeeded' ? 0 : outcome === 'invalid' ? 2 : outcome === 'refused' ? 4 : 3;
  return { ok: outcome === 'succeeded', outcome, exitCode, service, changeId, summary, previousDesired: null, desired: null, error: null, ...extra };
}

export async function runStopOrRestart(ctx: EngineContext, hooks: ScaleHooks, req: ScaleRequest): Promise<ChangeResultSimple> {
  let svc: NamedService;
  try {
    svc = getService(ctx.config, req.service);
    if (req.kind === 'stop' && !req.reason?.trim()) throw invalidInput('a reason is required for an emergency stop');
    if (req.kind === 'restart' && req.count !== undefined && (!Number.isInteger(req.count) || req.count < 1 || req.count > 1000)) {
      throw invalidInput('count must be a whole number from 1 to 1000');
    }
  } catch (e) {
    const info = errorInfo(e);
    return simple(req.service, null, 'invalid', info.message, { error: info });
  }
  if (req.kind === 'restart' && req.count === undefined && ctx.store.getKeptCount(svc.name) === undefined) {
    const message = `${svc.name} has no desired count kept from a stop; give one (restart ${svc.name} --count N)`;
    return simple(svc.name, null, 'invalid', message, { error: { code: ErrorCodes.nothingToRestore, message } });
  }
  const begun = hooks.begin(req.kind, svc, req.actor, req.onEvent);
  if ('refused' in begun) return simple(svc.name, null, 'refused', begun.refused.error!.message, { error: begun.refused.error });
  const { run } = begun;
  try {
    await req.onStart?.(run.id);
  } catch (e) {
    ctx.logger.warn({ err: e }, 'onStart callback failed');
  }
  run.emit({ type: 'change_started', kind: req.kind, actor: req.actor, sha: null, fromTaskDefinition: null });
  let finalTd: string | null = null;
  try {
    run.start('read_service');
    const [state] = await ctx.ecs.describeServices(svc.region, svc.cluster, [svc.service]);
    finalTd = runningTaskDefinition(state);
    const previous = state.desiredCount;
    run.finish('read_service', 'ok', `desired ${state.desiredCount}, running ${state.runningCount}`);
    await hooks.approvalPhase(run, svc, req.kind, req);
    const target = req.kind === 'stop' ? 0 : req.count ?? ctx.store.getKeptCount(svc.name)!;
    if (req.kind === 'stop' && previous === 0) {
      return done('succeeded', `${svc.name} is already stopped (desired 0); nothing changed`, previous, 0);
    }
    if (req.kind === 'stop') ctx.store.setKeptCount(svc.name, previous);
    run.start('rollout');
    await ctx.ecs.updateService(svc.region, { cluster: svc.cluster, service: svc.service, desiredCount: target });
    ctx.store.appendAudit({ at: run.iso(), actor: req.actor, action: `ecs.update_service`, service: svc.name, details: { changeId: run.id, desiredCount: target, previousDesired: previous, ...(req.kind === 'stop' ? { reason: req.reason } : {}) } });
    const reached = await waitForCount(ctx, svc, run, target, state);
    if (!reached.ok) {
      run.finish('rollout', 'failed', reached.reason);
      return done('failed', `${svc.name}: desired count set to ${target}, but ${reached.reason}`, previous, target);
    }
    run.finish('rollout', 'ok', `running ${target}/${target}`);
    if (req.kind === 'restart') ctx.store.clearKeptCount(svc.name);
    const summary = req.kind === 'stop'
      ? `${svc.name} stopped: desired ${previous} → 0 (kept ${previous} for restart). Reason: ${req.reason}`
      : `${svc.name} restarted: desired ${previous} → ${target}, ${target} running`;
    return done('succeeded', summary, previous, target);
  } catch (e) {
    const info = errorInfo(e);
    const phase = (['read_service', 'approval', 'rollout'] as const).find((p) => !run.phases.some((x) => x.name === p));
    if (phase) run.finish(phase, 'failed', info.message);
    const kind = classifyErrorCode(info.code);
    const outcome = kind === 'refused' ? 'refused' : kind === 'invalid' || !run.phases.some((p) => p.name === 'rollout') ? 'invalid' : 'failed';
    return done(outcome, `${svc.name}: ${req.kind} not done: ${info.message}`, null, null, info);
  } finally {
    hooks.release(svc.name, run.id);
  }

  function done(outcome: ChangeResultSimple['outcome'], summary: string, previous: number | null, desired: number | null, error: { code: string; message: string } | null = null): ChangeResultSimple {
    const text = `${summary} (${formatDuration(run.elapsedMs())})`;
    const record = scaleResult(run, svc, outcome, text, finalTd, error);
    ctx.store.updateDeploy(run.id, { outcome, finishedAt: record.finishedAt, finalTaskDefinition: finalTd, phases: run.phases, result: record });
    ctx.store.appendAudit({ at: run.iso(), actor: run.actor, action: `${run.kind}.${outcome}`, service: svc.name, details: { changeId: run.id, previousDesired: previous, desired } });
    run.emit({ type: 'change_finished', result: record });
    return simple(svc.name, run.id, outcome, text, { previousDesired: previous, desired, error });
  }
}

/** Scale changes are reported through the same result shape as deploys, for history and reporters. */
function scaleResult(run: ChangeRun, svc: NamedService, outcome: Outcome, summary: string, final: string | null, error: { code: string; message: string } | null): DeployResult {
  return {
    ok: outcome === 'succeeded', kind: run.kind, outcome, exitCode: exitCodeFor(outcome), deployId: run.id, service: svc.name, sha: null, digest: null,
    fromTaskDefinition: final, toTaskDefinition: final, finalTaskDefinition: final, phases: [...run.phases], smoke: [], targets: [], logs: null,
    failure: null, summary, actor: run.actor, startedAt: run.iso(run.startedAt), finishedAt: run.iso(), error, reportPath: null, dryRun: null,
  };
}

async function waitForCount(ctx: EngineContext, svc: NamedService, run: ChangeRun, target: number, initial: ServiceState): Promise<{ ok: true } | { ok: false; reason: string }> {
  const seen = new Set(initial.events.map((e) => e.id));
  const started = ctx.clock.now();
  let last = '';
  for (;;) {
    let state: ServiceState;
    try {
      state = await ctx.poller.next(svc.region, svc.cluster, svc.service, svc.timeouts.poll);
    } catch {
      if (ctx.clock.now() - started > svc.timeouts.stabilize) return { ok: false, reason: 'the service could not be read' };
      continue;
    }
    reportNewEvents(state, seen, (event) => run.emit({ type: 'service_event', event }));
    const p = primaryDeployment(state);
    const key = `${state.runningCount}/${state.desiredCount}`;
    if (key !== last) {
      last = key;
      run.emit({ type: 'progress', phase: 'rollout', taskDefinition: runningTaskDefinition(state), running: state.runningCount, desired: state.desiredCount, pending: state.pendingCount, rolloutState: p?.rolloutState ?? null });
    }
    if (state.desiredCount === target && state.runningCount === target && state.pendingCount === 0) return { ok: true };
    if (ctx.clock.now() - started >= svc.timeouts.stabilize) {
      return { ok: false, reason: `${state.runningCount} running after ${Math.round(svc.timeouts.stabilize / 1000)}s (want ${target})` };
    }
  }
}

