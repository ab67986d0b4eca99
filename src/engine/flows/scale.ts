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
import { earlyResult, errorInfo, invalidInput } from '../change/results';
import { primaryDeployment, reportNewEvents, runningTaskDefinition } from '../watch/rollout';
import type { ServiceState } from '../types';
import type { FlowDeps } from './flow-deps';
import { runPipeline } from './change-pipeline';

export type ScaleRequest = ({ kind: 'stop' } & StopRequest) | ({ kind: 'restart' } & RestartRequest);

export async function scale(deps: FlowDeps, req: ScaleRequest): Promise<ChangeResult> {
  const { ctx } = deps;
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
  const target = req.kind === 'stop' ? 0 : (req.count ?? (await ctx.store.getKeptCount(svc.name)));
  if (target === undefined) {
    const message = `${svc.name} has no desired count kept from a stop; give one (restart ${svc.name} --count N)`;
    return earlyResult({ ...early, service: svc.name, summary: message }, 'invalid', {
      code: ErrorCodes.nothingToRestore,
      message,
    });
  }
  const frame = { kind: req.kind, svc, req, sha: null, ...(req.kind === 'stop' && { reason: req.reason }) };
  return runPipeline(deps, frame, (run, _signal, fields) => scaleTo(deps, svc, req, target, run, fields));
}

/** read_service → approval → set the desired count → wait until that many run. */
async function scaleTo(
  deps: FlowDeps,
  svc: NamedService,
  req: ScaleRequest,
  target: number,
  run: ChangeRun,
  fields: Partial<ChangeResult>,
): Promise<ChangeResult> {
  const { ctx, lifecycle, approvals } = deps;
  run.start('read_service');
  const [state] = await ctx.ecs.describeServices(svc.region, svc.cluster, [svc.service]);
  const runs = runningTaskDefinition(state);
  Object.assign(fields, { fromTaskDefinition: runs, toTaskDefinition: runs });
  const previous = state.desiredCount;
  run.finish('read_service', 'ok', `desired ${state.desiredCount}, running ${state.runningCount}`);
  const done = (outcome: Outcome, summary: string, desired: number) =>
    lifecycle.finish(run, {
      ...fields,
      outcome,
      summary,
      finalTaskDefinition: runs,
      previousDesired: previous,
      desired,
    });

  await approvals.usePhase(run, svc, req.kind, req);
  if (req.kind === 'stop' && previous === 0)
    return await done('succeeded', `${svc.name} is already stopped (desired 0); nothing changed`, 0);
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
    return await done('failed', `${svc.name}: desired count set to ${target}, but ${reached.reason}`, target);
  }
  run.finish('rollout', 'ok', `running ${target}/${target}`);
  if (req.kind === 'restart') await ctx.store.clearKeptCount(svc.name);
  const summary =
    req.kind === 'stop'
      ? `${svc.name} stopped: desired ${previous} → 0 (kept ${previous} for restart). Reason: ${req.reason}`
      : `${svc.name} restarted: desired ${previous} → ${target}, ${target} running`;
  return await done('succeeded', summary, target);
}

/** @throws CodedError `invalid_input` for a stop without a reason or a restart count out of range. */
function checkScaleInput(req: ScaleRequest): void {
  if (req.kind === 'stop' && !req.reason.trim()) throw invalidInput('a reason is required for an emergency stop');
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
    } catch (e) {
      // A failed read says nothing about the count: read again until the stabilize timeout.
      ctx.logger.debug({ err: e, service: svc.name }, 'could not read the service while waiting for the count');
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
