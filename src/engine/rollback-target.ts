import type { NamedService } from '../config/schema';
import { CodedError, ErrorCodes } from '../errors';
import type { RollbackTarget } from './release-ref';
import type { EngineContext } from './context';
import { releases } from './queries';
import type { TaskDefinition } from './types';
import { shaMatches } from './release-ref';
import { shortTaskDefinition } from './validate';

export interface ResolvedTarget {
  taskDefinition: TaskDefinition;
  sha: string | null;
  /** How it was chosen, for people. */
  how: string;
}

/**
 * Finds the revision to roll back to: the release before the current one, a given revision
 * (`family:N` or `N`), or the release of a given git SHA.
 * @throws CodedError `release_not_found` / `task_definition_not_found`.
 */
export async function resolveRollbackTarget(
  ctx: EngineContext,
  svc: NamedService,
  current: TaskDefinition,
  target: RollbackTarget,
): Promise<ResolvedTarget> {
  const resolved = await findRollbackTarget(ctx, svc, current, target);
  assertWithinService(resolved.taskDefinition, current, svc);
  return resolved;
}

/**
 * A rollback never leaves the service: the target must be a revision of the family the service
 * runs, and hold the configured container. Another family's definition (another role, another
 * image) would go healthy behind this service's load balancer and pass every check but the version.
 * @throws CodedError `invalid_input` (exit 2) naming what is wrong.
 */
export function assertWithinService(target: TaskDefinition, current: TaskDefinition, svc: NamedService): void {
  if (target.family !== current.family) {
    throw new CodedError(
      ErrorCodes.invalidInput,
      `${shortTaskDefinition(target.arn)} is not a revision of ${svc.name}'s task family ${current.family}; roll back to ${current.family}:N`,
    );
  }
  if (!target.containers.some((c) => c.name === svc.container)) {
    throw new CodedError(
      ErrorCodes.invalidInput,
      `${shortTaskDefinition(target.arn)} has no container ${svc.container} (has: ${target.containers.map((c) => c.name).join(', ')}); it cannot run ${svc.name}`,
    );
  }
}

async function findRollbackTarget(
  ctx: EngineContext,
  svc: NamedService,
  current: TaskDefinition,
  target: RollbackTarget,
): Promise<ResolvedTarget> {
  const history = await releases(ctx, svc.name, 100);
  if (target.kind === 'sha') {
    const match = history.find((r) => shaMatches(r.sha, target.sha));
    if (!match) {
      throw new CodedError(
        ErrorCodes.releaseNotFound,
        `no earlier release of ${svc.name} with git SHA ${target.sha} in the deploy history; deploy it instead (deploy ${svc.name} ${target.sha})`,
      );
    }
    const td = await ctx.ecs.describeTaskDefinition(svc.region, match.taskDefinition);
    return { taskDefinition: td, sha: match.sha, how: `release ${match.deployId} of ${match.at}` };
  }
  if (target.kind === 'revision') {
    const name = target.revision.includes(':') ? target.revision : `${current.family}:${target.revision}`;
    const td = await ctx.ecs.describeTaskDefinition(svc.region, name);
    const known = history.find((r) => r.taskDefinition === td.arn);
    return { taskDefinition: td, sha: known?.sha ?? null, how: `revision ${shortTaskDefinition(td.arn)} as asked` };
  }
  const previous = history.find((r) => r.taskDefinition !== current.arn);
  if (previous) {
    const td = await ctx.ecs.describeTaskDefinition(svc.region, previous.taskDefinition);
    return { taskDefinition: td, sha: previous.sha, how: `the release before the current one (${previous.deployId})` };
  }
  if (current.revision <= 1) {
    throw new CodedError(
      ErrorCodes.releaseNotFound,
      `${svc.name} has no earlier release to roll back to (runs ${shortTaskDefinition(current.arn)})`,
    );
  }
  // No history yet (first use of ecs-chatops on this service): the revision before the current one.
  const td = await ctx.ecs.describeTaskDefinition(svc.region, `${current.family}:${current.revision - 1}`);
  return { taskDefinition: td, sha: null, how: 'no deploy history: the revision before the current one' };
}
