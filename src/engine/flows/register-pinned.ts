/**
 * The end of a deploy's preparation, shared by a deploy by SHA and a promotion: nothing to do when
 * the digest already runs (unless forced), else the approval phase, then a new revision that pins
 * the digest.
 */
import type { NamedService } from '../../config/schema';
import { writeAudit } from '../change/audit';
import type { ChangeRun } from '../change/change-run';
import type { DeployChanges } from '../changes';
import { alreadyRunsDigest } from '../deploy-guards';
import type { PromotionCheck } from '../promotion/model';
import type { Actor, TaskDefinition } from '../types';
import { shortDigest, shortTaskDefinition } from '../validate';
import type { Plan } from './change-pipeline';
import type { FlowDeps } from './flow-deps';

export interface PinnedTarget {
  /** The image to register (`repo@sha256:…`). */
  image: string;
  digest: string;
  sha: string | null;
  changes: DeployChanges | null;
  promotion: PromotionCheck | null;
  /** What `--force` means here: roll the digest again even when it already runs. */
  force: boolean;
}

export async function registerPinned(
  deps: FlowDeps,
  run: ChangeRun,
  svc: NamedService,
  current: TaskDefinition,
  target: PinnedTarget,
  req: { actor: Actor; approvalId?: string },
): Promise<Plan> {
  const { ctx, approvals } = deps;
  const { image, digest, sha, changes, promotion } = target;
  if (!target.force && alreadyRunsDigest(current, svc, digest)) {
    run.skip('register', `already running ${shortDigest(digest)}`);
    return {
      to: current.arn,
      expectSha: sha,
      digest,
      nothingToDo: `already running ${shortDigest(digest)} (${shortTaskDefinition(current.arn)}); deploy --force rolls it again`,
      changes,
      promotion,
    };
  }
  await run.save({ digest, image });
  await approvals.usePhase(run, svc, 'deploy', req);

  run.start('register');
  const next = await ctx.ecs.registerRevision(svc.region, current, svc.container, image);
  await writeAudit(ctx, {
    actor: run.actor,
    action: 'ecs.register_task_definition',
    service: svc.name,
    details: { changeId: run.id, taskDefinition: next.arn, image },
  });
  run.finish(
    'register',
    'ok',
    `${shortTaskDefinition(current.arn)} → ${shortTaskDefinition(next.arn)} (${svc.container} @ ${shortDigest(digest)})`,
  );
  await run.save({ toTaskDefinition: next.arn });
  run.emit({ type: 'plan', digest, image, fromTaskDefinition: current.arn, toTaskDefinition: next.arn });
  return { to: next.arn, expectSha: sha, digest, force: target.force, changes, promotion };
}
