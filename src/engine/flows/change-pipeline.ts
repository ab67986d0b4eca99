/**
 * The shared pipeline of a deploy and a rollback: begin (lock, record), read the service (the
 * rollback point), let the flow prepare its target, apply and verify it, and on failure roll back
 * and verify that. Every way out finishes the change through the lifecycle.
 */
import type { NamedService } from '../../config/schema';
import { CodedError, isCodedError } from '../../errors';
import type { DeployRequest, PromoteRequest, RollbackRequest } from '../api';
import type { ChangeRun } from '../change/change-run';
import type { DeployChanges } from '../changes';
import type { PromotionCheck } from '../promotion/model';
import type { ChangeResult, Outcome } from '../model';
import { firstOpenPhase } from '../release-ref';
import { classifyErrorCode, errorInfo } from '../change/results';
import { runningTaskDefinition } from '../watch/rollout';
import type { ServiceState, TaskDefinition } from '../types';
import { shortTaskDefinition } from '../validate';
import { applyAndVerify, type VerifyOutcome } from '../watch/verify';
import { readRunning, safely, unlessCancelled, type FlowDeps } from './flow-deps';
import { revertAndFinish } from './revert';
import { refuseOverDeploymentInProgress } from '../deploy-guards';

/** What a flow decided to roll out. */
export interface Plan {
  to: string;
  expectSha: string | null;
  digest: string | null;
  /** Set when the service already runs the target: nothing is rolled out. */
  nothingToDo?: string;
  /** UpdateService with forceNewDeployment (a deploy of what already runs, asked for with force). */
  force?: boolean;
  /** The commits the change ships, where they were looked up. */
  changes?: DeployChanges | null;
  /** Commits still being read (a rollback does not wait for them): they join the result when it is built. */
  changesLater?: Promise<DeployChanges | null>;
  /** The promotion policy's finding, for a service that promotes from another. */
  promotion?: PromotionCheck | null;
}

export type Prepare = (run: ChangeRun, state: ServiceState, current: TaskDefinition) => Promise<Plan>;

const CHANGE_PHASES = [
  'validate',
  'read_service',
  'resolve_image',
  'approval',
  'register',
  'rollout',
  'targets',
  'smoke',
  'logs',
] as const;

export async function runChange(
  deps: FlowDeps,
  change: { kind: 'deploy' | 'rollback'; svc: NamedService; req: DeployRequest | PromoteRequest | RollbackRequest; sha: string | null },
  prepare: Prepare,
): Promise<ChangeResult> {
  const { ctx, lifecycle } = deps;
  const { kind, svc, req, sha } = change;
  const started = ctx.clock.now();
  const begun = await lifecycle.begin(kind, svc, req.actor, sha, req.onEvent);
  if ('refused' in begun) return begun.refused;
  const { run, signal } = begun;
  const fields: Partial<ChangeResult> = { sha, digest: null, fromTaskDefinition: null, toTaskDefinition: null };
  try {
    await safely(() => req.onStart?.(run.id), ctx, 'onStart callback');
    run.emit({ type: 'change_started', kind, actor: req.actor, sha, fromTaskDefinition: null });
    run.start('validate');
    run.finish(
      'validate',
      'ok',
      `${kind} of ${svc.name}${sha ? ` ${sha}` : ''} by ${req.actor.name} (${req.actor.via}); lock taken`,
    );

    run.start('read_service');
    const state = (await ctx.ecs.describeServices(svc.region, svc.cluster, [svc.service]))[0];
    const current = await ctx.ecs.describeTaskDefinition(svc.region, runningTaskDefinition(state));
    const seenEvents = new Set(state.events.map((e) => e.id));
    fields.fromTaskDefinition = current.arn;
    await run.save({ fromTaskDefinition: current.arn });
    if (kind === 'deploy') await refuseOverDeploymentInProgress(ctx, svc, state);
    run.finish(
      'read_service',
      'ok',
      `${svc.cluster}/${svc.service} runs ${shortTaskDefinition(current.arn)}, ${state.runningCount}/${state.desiredCount} running`,
    );

    const plan = await prepare(run, state, current);
    Object.assign(fields, {
      toTaskDefinition: plan.to,
      digest: plan.digest,
      sha: plan.expectSha ?? sha,
      changes: plan.changes ?? null,
      ...(plan.promotion ? { promotion: plan.promotion } : {}),
    });
    if (plan.nothingToDo) {
      if (plan.changesLater) fields.changes = await plan.changesLater;
      for (const phase of ['rollout', 'targets', 'smoke', 'logs'] as const) run.skip(phase, plan.nothingToDo);
      return await lifecycle.finish(run, {
        ...fields,
        outcome: 'succeeded',
        finalTaskDefinition: current.arn,
        summary: `${svc.name}: nothing to do, ${plan.nothingToDo}`,
      });
    }
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
    if (plan.changesLater) fields.changes = await plan.changesLater;
    const common = { ...fields, smoke: verified.smoke, targets: verified.targets, logs: verified.logs };
    if (verified.ok) {
      const final = verified.state ? runningTaskDefinition(verified.state) : plan.to;
      return await lifecycle.finish(run, {
        ...common,
        outcome: 'succeeded',
        finalTaskDefinition: final,
        summary: successSummary(kind, svc, plan, verified),
      });
    }
    return await revertAndFinish(deps, { run, svc, from: current.arn, verified, common, seenEvents, started });
  } catch (e) {
    return await stoppedByError(deps, run, svc, kind, fields, e);
  } finally {
    await lifecycle.end(run);
  }
}

/** An error ended the change: before the rollout nothing changed (exit 2, or 4 for a refusal); after it a person must look. */
async function stoppedByError(
  deps: FlowDeps,
  run: ChangeRun,
  svc: NamedService,
  kind: string,
  fields: Partial<ChangeResult>,
  e: unknown,
): Promise<ChangeResult> {
  const { ctx, lifecycle } = deps;
  const info = errorInfo(e);
  const outcome: Outcome = classifyErrorCode(info.code) === 'refused' ? 'refused' : 'invalid';
  const failedPhase = firstOpenPhase(CHANGE_PHASES, run.phases);
  if (failedPhase) run.finish(failedPhase, 'failed', info.message);
  // Coded errors are expected answers (missing image, access denied): the result says it all.
  if (isCodedError(e)) ctx.logger.info({ code: info.code, changeId: run.id }, `change stopped: ${info.message}`);
  else ctx.logger.error({ err: e, changeId: run.id }, 'change stopped unexpectedly');
  const final = await readRunning(ctx, svc).catch(() => null);
  const touched = run.phases.some((p) => p.name === 'rollout');
  return lifecycle.finish(run, {
    ...fields,
    outcome: touched ? 'rollback_failed' : outcome,
    finalTaskDefinition: final,
    error: info,
    failure: failedPhase ? { phase: failedPhase, reason: info.message } : null,
    summary: touched
      ? `${svc.name}: ${info.message}; ${final ? `the service runs ${shortTaskDefinition(final)}` : 'the service could not be read'}: a person must look`
      : `${svc.name}: ${kind} not done, nothing was changed: ${info.message}`,
  });
}

function successSummary(kind: 'deploy' | 'rollback', svc: NamedService, plan: Plan, v: VerifyOutcome): string {
  const counts = v.state ? `${v.state.runningCount}/${v.state.desiredCount} running` : '';
  const verb =
    kind === 'deploy'
      ? `${plan.expectSha?.slice(0, 7)} deployed`
      : `rolled back${plan.expectSha ? ` to ${plan.expectSha.slice(0, 7)}` : ''}`;
  return `${svc.name} ${verb}: ${shortTaskDefinition(plan.to)} ${counts}, verified`;
}
