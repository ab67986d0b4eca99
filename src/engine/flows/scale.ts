/**
 * Emergency stop (desired count 0, keeping the old count) and restart (restoring it):
 * check → lock and record → read the service → approval → set the desired count → wait for it.
 */
import { getService } from '../../config/load';
import type { NamedService } from '../../config/schema';
import { ErrorCodes } from '../../errors';
import type { RestartRequest, StopRequest } from '../api';
import { writeAudit } from '../change/audit';
import type { ChangeRun } from '../change/change-run';
import type { EngineContext } from '../context';
import type { ChangeResult, Outcome } from '../model';
import { firstOpenPhase } from '../release-ref';
import { classifyErrorCode, earlyResult, errorInfo, invalidInput } from '../change/results';
import { primaryDeployment, reportNewEvents, runningTaskDefinition } from '../watch/rollout';
import type { ServiceState } from '../types';
import { safely, type FlowDeps } from './flow-deps';

export type ScaleRequest = ({ kind: 'stop' } & StopRequest) | ({ kind: 'restart' } & RestartRequest);

export async function scale(deps: FlowDeps, req: ScaleRequest): Promise<ChangeResult> {
  const { ctx, lifecycle, approvals } = deps;
  const early = {
    kind: req.kind,
    service: req.service,
    sha: null,
    actor: req.actor,
    at: new Date(ctx.clock.now()).toISOString(),
  };
  let svc: NamedService;
  try {
    svc = getService(ctx.config, req.service);
    checkScaleInput(req);
  } catch (e) {
    const info = errorInfo(e);
    return earlyResult({ ...early, summary: info.message }, 'invalid', info);
  }
  if (req.kind === 'restart' && req.count === undefined && (await ctx.store.getKeptCount(svc.name)) === undefined) {
    const message = `${svc.name} has no desired count kept from a stop; give one (restart ${svc.name} --count N)`;
    return earlyResult({ ...early, service: svc.name, summary: message }, 'invalid', {
      code: ErrorCodes.nothingToRestore,
      message,
    });
  }

  const begun = await lifecycle.begin(req.kind, svc, req.actor, null, req.onEvent);
  if ('refused' in begun) return { ...begun.refused, summary: begun.refused.error!.message };
  const { run } = begun;
  await safely(() => req.onStart?.(run.id), ctx, 'onStart callback');
  run.emit({
    type: 'change_started',
    kind: req.kind,
    actor: req.actor,
    sha: null,
    fromTaskDefinition: null,
    ...(req.kind === 'stop' ? { reason: req.reason } : {}),
  });
  let finalTd: string | null = null;
  const done = (
    outcome: Outcome,
    summary: string,
    previousDesired: number | null,
    desired: number | null,
    error: ChangeResult['error'] = null,
  ) =>
    lifecycle.finish(run, {
      outcome,
      summary,
      fromTaskDefinition: finalTd,
      toTaskDefinition: finalTd,
      finalTaskDefinition: finalTd,
      error,
      previousDesired,
      desired,
    });
  try {
    run.start('read_service');
    const [state] = await ctx.ecs.describeServices(svc.region, svc.cluster, [svc.service]);
    finalTd = runningTaskDefinition(state);
    const previous = state.desiredCount;
    run.finish('read_service', 'ok', `desired ${state.desiredCount}, running ${state.runningCount}`);

    await approvals.usePhase(run, svc, req.kind, req);
    const target = req.kind === 'stop' ? 0 : (req.count ?? (await ctx.store.getKeptCount(svc.name))!);
    if (req.kind === 'stop' && previous === 0)
      return await done('succeeded', `${svc.name} is already stopped (desired 0); nothing changed`, previous, 0);
    if (req.kind === 'stop') await ctx.store.setKeptCount(svc.name, previous);

    run.start('rollout');
    await ctx.ecs.updateService(svc.region, { cluster: svc.cluster, service: svc.service, desiredCount: target });
    await writeAudit(ctx, {
      actor: req.actor,
      action: `ecs.update_service`,
      service: svc.name,
      details: {
        changeId: run.id,
        desiredCount: target,
        previousDesired: previous,
        ...(req.kind === 'stop' ? { reason: req.reason } : {}),
      },
    });
    const reached = await waitForCount(ctx, svc, run, target, state);
    if (!reached.ok) {
      run.finish('rollout', 'failed', reached.reason);
      return await done(
        'failed',
        `${svc.name}: desired count set to ${target}, but ${reached.reason}`,
        previous,
        target,
      );
    }
    run.finish('rollout', 'ok', `running ${target}/${target}`);
    if (req.kind === 'restart') await ctx.store.clearKeptCount(svc.name);
    const summary =
      req.kind === 'stop'
        ? `${svc.name} stopped: desired ${previous} → 0 (kept ${previous} for restart). Reason: ${req.reason}`
        : `${svc.name} restarted: desired ${previous} → ${target}, ${target} running`;
    return await done('succeeded', summary, previous, target);
  } catch (e) {
    const info = errorInfo(e);
    const phase = firstOpenPhase(['read_service', 'approval', 'rollout'] as const, run.phases);
    if (phase) run.finish(phase, 'failed', info.message);
    const kind = classifyErrorCode(info.code);
    const outcome =
      kind === 'refused'
        ? 'refused'
        : kind === 'invalid' || !run.phases.some((p) => p.name === 'rollout')
          ? 'invalid'
          : 'failed';
    return await done(outcome, `${svc.name}: ${req.kind} not done: ${info.message}`, null, null, info);
  } finally {
    await lifecycle.end(run);
  }
}

/** @throws CodedError `invalid_input` for a stop without a reason or a restart count out of range. */
function checkScaleInput(req: ScaleRequest): void {
  if (req.kind === 'stop' && !req.reason?.trim()) throw invalidInput('a reason is required for an emergency stop');
  if (
    req.kind === 'restart' &&
    req.count !== undefined &&
    (!Number.isInteger(req.count) || req.count < 1 || req.count > 1000)
  ) {
    throw invalidInput('count must be a whole number from 1 to 1000');
  }
}

async function waitForCount(
  ctx: EngineContext,
  svc: NamedService,
  run: ChangeRun,
  target: number,
  initial: ServiceState,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const seen = new Set(initial.events.map((e) => e.id));
  const started = ctx.clock.now();
  let last = '';
  for (;;) {
    let state: ServiceState;
    try {
      state = await ctx.poller.next(svc.region, svc.cluster, svc.service, svc.timeouts.poll);
    } catch {
      if (ctx.clock.now() - started > svc.timeouts.stabilize)
        return { ok: false, reason: 'the service could not be read' };
      continue;
    }
    reportNewEvents(state, seen, (event) => run.emit({ type: 'service_event', event }));
    const p = primaryDeployment(state);
    const key = `${state.runningCount}/${state.desiredCount}`;
    if (key !== last) {
      last = key;
      run.emit({
        type: 'progress',
        phase: 'rollout',
        taskDefinition: runningTaskDefinition(state),
        running: state.runningCount,
        desired: state.desiredCount,
        pending: state.pendingCount,
        rolloutState: p?.rolloutState ?? null,
      });
    }
    if (state.desiredCount === target && state.runningCount === target && state.pendingCount === 0) return { ok: true };
    if (ctx.clock.now() - started >= svc.timeouts.stabilize) {
      return {
        ok: false,
        reason: `${state.runningCount} running after ${Math.round(svc.timeouts.stabilize / 1000)}s (want ${target})`,
      };
    }
  }
}
