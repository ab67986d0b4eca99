/** What every flow is given, and the small helpers flows share. */
import type { NamedService } from '../../config/schema';
import { CodedError, ErrorCodes } from '../../errors';
import type { EngineApprovals } from '../change/approvals';
import type { EngineContext } from '../context';
import type { ChangeLifecycle } from '../change/lifecycle';
import type { ChangeRun } from '../change/change-run';
import type { VerifyOutcome } from '../watch/verify';
import { runningTaskDefinition } from '../watch/rollout';
import type { TaskDefinition } from '../types';
import { shortTaskDefinition } from '../validate';

export interface FlowDeps {
  ctx: EngineContext;
  lifecycle: ChangeLifecycle;
  approvals: EngineApprovals;
}

/**
 * The configured container of a task definition.
 * @throws CodedError `container_not_found` naming the containers it has.
 */
export function containerOf(td: TaskDefinition, svc: NamedService) {
  const container = td.containers.find((c) => c.name === svc.container);
  if (container === undefined) {
    throw new CodedError(
      ErrorCodes.containerNotFound,
      `container ${svc.container} is not in ${shortTaskDefinition(td.arn)} (has: ${td.containers.map((c) => c.name).join(', ')})`,
    );
  }
  return container;
}

/** The task definition the service's PRIMARY deployment runs now. */
export async function readRunning(ctx: EngineContext, svc: NamedService): Promise<string> {
  const [s] = await ctx.ecs.describeServices(svc.region, svc.cluster, [svc.service]);
  return runningTaskDefinition(s);
}

/**
 * A verification that passed, unless a Cancel arrived that it finished before noticing (asked on
 * another replica since the last lease renewal, or clicked here at the last moment): then it is a
 * cancelled change, rolled back like one.
 */
export async function unlessCancelled(
  lifecycle: ChangeLifecycle,
  run: ChangeRun,
  verified: VerifyOutcome,
): Promise<VerifyOutcome> {
  if (!verified.ok) return verified;
  const cancelled = await lifecycle.cancelledBeforeSuccess(run);
  if (!cancelled) return verified;
  const last = [...run.phases].reverse().find((p) => p.name !== 'record');
  return { ...verified, ok: false, failure: { phase: last?.name ?? 'rollout', reason: cancelled, cancelled: true } };
}

/** An argument echoed in a message, cut short; it may be anything a caller passed. */
export function clipArg(value: unknown): string {
  const s = typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** Calls a front end's hook; its failure is logged and never breaks the change. */
export async function safely(fn: () => unknown, ctx: EngineContext, what: string): Promise<void> {
  try {
    await fn();
  } catch (e) {
    ctx.logger.warn({ err: e }, `${what} failed`);
  }
}
