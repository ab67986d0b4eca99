/** What every flow is given, and the small helpers flows share. */
import type { NamedService } from '../../config/schema';
import { CodedError, ErrorCodes } from '../../errors';
import type { EngineApprovals } from '../change/approvals';
import type { EngineContext } from '../context';
import type { ChangeLifecycle } from '../change/lifecycle';
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
  if (!container) {
    throw new CodedError(ErrorCodes.containerNotFound, `container ${svc.container} is not in ${shortTaskDefinition(td.arn)} (has: ${td.containers.map((c) => c.name).join(', ')})`);
  }
  return container;
}

/** The task definition the service's PRIMARY deployment runs now. */
export async function readRunning(ctx: EngineContext, svc: NamedService): Promise<string> {
  const [s] = await ctx.ecs.describeServices(svc.region, svc.cluster, [svc.service]);
  return runningTaskDefinition(s);
}

/** An argument echoed in a message, cut short. */
export function clipArg(value: unknown): string {
  const s = String(value ?? '');
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
