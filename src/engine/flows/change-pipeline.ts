/**
 * The shared pipeline of a deploy and a rollback: begin (lock, record), read the service (the
 * rollback point), let the flow prepare its target, apply and verify it, and on failure roll back
 * and verify that. Every way out finishes the change through the lifecycle.
 */
import type { NamedService } from '../../config/schema';
import { isCodedError } from '../../errors';
import type { ChangeOptions, DeployRequest, PromoteRequest, RollbackRequest } from '../api';
import type { ChangeRun } from '../change/change-run';
import type { DeployChanges } from '../changes';
import type { ChangeKind, ChangeResult, Outcome } from '../model';
import type { PromotionCheck } from '../promotion/model';
import { EXPECTED_PHASES, firstOpenPhase, VERIFY_PHASES } from '../release-ref';
import { classifyErrorCode, errorInfo } from '../change/results';
import { runningTaskDefinition } from '../watch/rollout';
import type { ServiceState, TaskDefinition } from '../types';
import { shortSha, shortTaskDefinition } from '../validate';
import { applyAndVerify, type VerifyOutcome } from '../watch/verify';
import { readRunning, safely, unlessCancelled, type FlowDeps } from './flow-deps';
import { revertAndFinish } from './revert';
import { refuseOverDeploymentInProgress } from '../deploy-guards';
import { guardFreeze } from '../freeze/guard';

/** What a flow decided to roll out. */
export interface Plan {
  to: string;
  expectSha: string | null;
  digest: string | null;
  /** Set when the service already runs the target: nothing is rolled out. */
  nothingToDo?: string;
  /** UpdateService with forceNewDeployment (a deploy of what already runs, asked for with force). */
  force?: boolean;
  /** The commits the change ships, where looked up; still being read (a rollback does not wait for them), they join the result at its end. */
  changes?: DeployChanges | null | Promise<DeployChanges | null>;
  /** The promotion policy's finding, for a service that promotes from another. */
  promotion?: PromotionCheck | null;
}

export type Prepare = (run: ChangeRun, state: ServiceState, current: TaskDefinition) => Promise<Plan>;

/** A change as the pipeline frames it: what, of which service, by whom; a stop also says why. */
export interface ChangeFrame {
  kind: ChangeKind;
  svc: NamedService;
  req: ChangeOptions;
  sha: string | null;
  /** A stop's reason, announced with the change. */
  reason?: string;
}

/** The part of a change that differs by kind; `fields` collects what the result reports even when it throws. */
export type ChangeBody = (run: ChangeRun, signal: AbortSignal, fields: Partial<ChangeResult>) => Promise<ChangeResult>;

/**
 * Every change runs through here: begin (lock, record; a refusal comes back as a result), tell the
 * caller its id, announce it, run its body. An error finishes it through one mapping (see
 * stoppedByError), and the lock is released on every way out.
 */
export async function runPipeline(deps: FlowDeps, frame: ChangeFrame, body: ChangeBody): Promise<ChangeResult> {
  const { ctx, lifecycle } = deps;
  const { kind, svc, req, sha } = frame;
  const begun = await lifecycle.begin(kind, svc, req.actor, sha, req.onEvent);
  if ('refused' in begun) return begun.refused;
  const { run, signal } = begun;
  const fields: Partial<ChangeResult> = { sha, digest: null, fromTaskDefinition: null, toTaskDefinition: null };
  try {
    await safely(() => req.onStart?.(run.id), ctx, 'onStart callback');
    const reason = frame.reason === undefined ? {} : { reason: frame.reason };
    run.emit({ type: 'change_started', kind, actor: req.actor, sha, fromTaskDefinition: null, ...reason });
    return await body(run, signal, fields);
  } catch (e) {
    return await stoppedByError(deps, run, svc, fields, e);
  } finally {
    await lifecycle.end(run);
  }
}

/** A deploy or a rollback: read the rollback point, let the flow choose its target, apply, verify, or go back. */
export async function runChange(
  deps: FlowDeps,
  change: {
    kind: 'deploy' | 'rollback';
    svc: NamedService;
    req: DeployRequest | PromoteRequest | RollbackRequest;
    sha: string | null;
  },
  prepare: Prepare,
): Promise<ChangeResult> {
  const { ctx, lifecycle } = deps;
  const { kind, svc, req, sha } = change;
  const started = ctx.clock.now();
  return runPipeline(deps, change, async (run, signal, fields) => {
    run.start('validate');
    if (kind === 'deploy') await guardFreeze(ctx, run, svc, { ...req, force: 'force' in req && req.force, sha });
    run.finish(
      'validate',
      'ok',
      `${kind} of ${svc.name}${sha ? ` ${sha}` : ''} by ${req.actor.name} (${req.actor.via}); lock taken`,
    );
    const { state, current } = await readRollbackPoint(deps, run, svc, kind);
    fields.fromTaskDefinition = current.arn;
    const plan = await prepare(run, state, current);
    Object.assign(fields, {
      toTaskDefinition: plan.to,
      digest: plan.digest,
      sha: plan.expectSha ?? sha,
      ...(plan.promotion ? { promotion: plan.promotion } : {}),
    });
    if (plan.nothingToDo) return await finishNothingToDo(lifecycle, run, svc, plan.nothingToDo, current, fields, plan);
    const seenEvents = new Set(state.events.map((e) => e.id));
    // A process that stalled past its lease before the update leaves the service to the change's new owner.
    if (!(await lifecycle.stillHolds(run))) return lifecycle.handedOver(run, fields);
    const verified = await unlessCancelled(
      lifecycle,
      run,
      await applyAndVerify(ctx, {
        run,
        svc,
        to: plan.to,
        expectSha: plan.expectSha,
        skipSmoke: Boolean(req.skipSmoke),
        alreadyApplied: false,
        seenEvents,
        sinceMs: started,
        signal,
        rolloutPhase: 'rollout',
        checkLogs: true,
        force: plan.force,
      }),
    );
    fields.changes = (await plan.changes) ?? null;
    const common = { ...fields, smoke: verified.smoke, targets: verified.targets, logs: verified.logs };
    if (!verified.ok)
      return await revertAndFinish(deps, { run, svc, from: current.arn, verified, common, seenEvents, started });
    return await lifecycle.finish(run, {
      ...common,
      outcome: 'succeeded',
      finalTaskDefinition: verified.state ? runningTaskDefinition(verified.state) : plan.to,
      summary: successSummary(kind, svc, plan, verified),
    });
  });
}

/** The read_service phase: what runs now is the rollback point, recorded before anything changes. */
async function readRollbackPoint(
  deps: FlowDeps,
  run: ChangeRun,
  svc: NamedService,
  kind: 'deploy' | 'rollback',
): Promise<{ state: ServiceState; current: TaskDefinition }> {
  const { ctx } = deps;
  run.start('read_service');
  const state = (await ctx.ecs.describeServices(svc.region, svc.cluster, [svc.service]))[0];
  const current = await ctx.ecs.describeTaskDefinition(svc.region, runningTaskDefinition(state));
  await run.save({ fromTaskDefinition: current.arn });
  if (kind === 'deploy') await refuseOverDeploymentInProgress(ctx, svc, state);
  run.finish(
    'read_service',
    'ok',
    `${svc.cluster}/${svc.service} runs ${shortTaskDefinition(current.arn)}, ${state.runningCount}/${state.desiredCount} running`,
  );
  return { state, current };
}

/** The service already runs the target: the change succeeds without rolling anything out. */
async function finishNothingToDo(
  lifecycle: FlowDeps['lifecycle'],
  run: ChangeRun,
  svc: NamedService,
  why: string,
  current: TaskDefinition,
  fields: Partial<ChangeResult>,
  plan: Plan,
): Promise<ChangeResult> {
  for (const phase of VERIFY_PHASES) run.skip(phase, why);
  return lifecycle.finish(run, {
    ...fields,
    changes: (await plan.changes) ?? null,
    outcome: 'succeeded',
    finalTaskDefinition: current.arn,
    summary: `${svc.name}: nothing to do, ${why}`,
  });
}

/**
 * An error ended the change. Before the rollout started nothing changed: `refused` (exit 4) or
 * `invalid` (exit 2). After it, the service may be half-way: `rollback_failed`, a person must look.
 */
async function stoppedByError(
  deps: FlowDeps,
  run: ChangeRun,
  svc: NamedService,
  fields: Partial<ChangeResult>,
  e: unknown,
): Promise<ChangeResult> {
  const { ctx, lifecycle } = deps;
  const info = errorInfo(e);
  const touched = run.hasStarted('rollout');
  const outcome: Outcome = touched
    ? 'rollback_failed'
    : classifyErrorCode(info.code) === 'refused'
      ? 'refused'
      : 'invalid';
  const failedPhase = firstOpenPhase(EXPECTED_PHASES[run.kind], run.phases);
  if (failedPhase) run.finish(failedPhase, 'failed', info.message);
  // Coded errors are expected answers (missing image, access denied): the result says it all.
  if (isCodedError(e)) ctx.logger.info({ code: info.code, changeId: run.id }, `change stopped: ${info.message}`);
  else ctx.logger.error({ err: e, changeId: run.id }, 'change stopped unexpectedly');
  // The summary says the service could not be read; the read's own error is not the change's.
  const final = await readRunning(ctx, svc).catch(() => null);
  const runs = final ? `the service runs ${shortTaskDefinition(final)}` : 'the service could not be read';
  return lifecycle.finish(run, {
    ...fields,
    outcome,
    finalTaskDefinition: final,
    error: info,
    failure: failedPhase ? { phase: failedPhase, reason: info.message } : null,
    summary: touched
      ? `${svc.name}: ${info.message}; ${runs}: a person must look`
      : `${svc.name}: ${run.kind} not done, nothing was changed: ${info.message}`,
  });
}

function successSummary(kind: 'deploy' | 'rollback', svc: NamedService, plan: Plan, v: VerifyOutcome): string {
  const counts = v.state ? `${v.state.runningCount}/${v.state.desiredCount} running` : '';
  const verb =
    kind === 'deploy'
      ? `${shortSha(plan.expectSha)} deployed`
      : `rolled back${plan.expectSha ? ` to ${shortSha(plan.expectSha)}` : ''}`;
  return `${svc.name} ${verb}: ${shortTaskDefinition(plan.to)} ${counts}, verified`;
}
