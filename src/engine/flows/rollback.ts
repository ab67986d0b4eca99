/**
 * Rollback: check the target → lock and record → read the service → choose the target revision
 * (the release before, a revision, or a SHA's release) → approval → roll out and verify.
 */
import { getService } from '../../config/load';
import type { NamedService } from '../../config/schema';
import type { RollbackRequest } from '../api';
import type { ChangeResult } from '../model';
import { isRevisionRef, isValidSha, ROLLBACK_TARGET_HELP } from '../release-ref';
import { earlyResult, errorInfo, invalidInput } from '../change/results';
import { resolveRollbackTarget } from '../rollback-target';
import { announceChanges, lookupChanges } from '../changes';
import { containerImage, digestOf, shortSha, shortTaskDefinition } from '../validate';
import { runChange, type Plan } from './change-pipeline';
import { clipArg, type FlowDeps } from './flow-deps';

export async function rollback(deps: FlowDeps, req: RollbackRequest): Promise<ChangeResult> {
  const { ctx, approvals } = deps;
  const at = new Date(ctx.clock.now()).toISOString();
  const target = req.target ?? { kind: 'previous' };
  const targetSha = target.kind === 'sha' ? target.sha : null;
  let svc: NamedService;
  try {
    svc = getService(ctx.config, req.service);
    if (target.kind === 'sha' && !isValidSha(target.sha))
      throw invalidInput(`git SHA must be 7 to 40 hex characters (got ${JSON.stringify(clipArg(target.sha))})`);
    if (target.kind === 'revision' && !isRevisionRef(target.revision))
      throw invalidInput(
        `a rollback target must be ${ROLLBACK_TARGET_HELP} (got ${JSON.stringify(clipArg(target.revision))})`,
      );
  } catch (e) {
    return earlyResult(
      { kind: 'rollback', service: req.service, sha: targetSha, actor: req.actor, at },
      'invalid',
      errorInfo(e),
    );
  }

  return runChange(
    deps,
    { kind: 'rollback', svc, req, sha: targetSha },
    async (run, _state, current): Promise<Plan> => {
      run.start('resolve_image');
      const chosen = await resolveRollbackTarget(ctx, svc, current, target);
      const td = chosen.taskDefinition;
      run.finish(
        'resolve_image',
        'ok',
        `target ${shortTaskDefinition(td.arn)}${chosen.sha ? ` (${shortSha(chosen.sha)})` : ''}: ${chosen.how}`,
      );
      const image = containerImage(td, svc.container);
      const digest = image ? digestOf(image) : null;
      await run.save({ toTaskDefinition: td.arn, sha: chosen.sha, image, digest });
      // A rollback never waits for GitHub: the commits it takes away are shown when they arrive.
      const changes = chosen.sha
        ? announceChanges(run, lookupChanges(ctx, svc, current, chosen.sha))
        : Promise.resolve(null);
      if (td.arn === current.arn)
        return {
          to: td.arn,
          expectSha: chosen.sha,
          digest,
          nothingToDo: `already runs ${shortTaskDefinition(current.arn)}`,
          changes,
        };

      await approvals.usePhase(run, svc, 'rollback', req);
      run.skip('register', 'rollback reuses an existing revision');
      run.emit({
        type: 'plan',
        digest: digest ?? '',
        image: image ?? '',
        fromTaskDefinition: current.arn,
        toTaskDefinition: td.arn,
      });
      return { to: td.arn, expectSha: chosen.sha, digest, changes };
    },
  );
}
