/**
 * Deploy: check the SHA → (dry run?) → lock and record → read the service → resolve the image to
 * its digest → approval → register a revision pinned by digest → roll out and verify (or roll back).
 */
import { getService } from '../../config/load';
import type { NamedService } from '../../config/schema';
import type { DeployRequest } from '../api';
import { writeAudit } from '../change/audit';
import { announceChanges, lookupChanges } from '../changes';
import type { ChangeResult } from '../model';
import { parseSha } from '../release-ref';
import { earlyResult, errorInfo, invalidInput } from '../change/results';
import { pinImage, shortDigest, shortTaskDefinition } from '../validate';
import { runChange, type Plan } from './change-pipeline';
import { dryRun } from './dry-run';
import { alreadyRunsDigest } from '../deploy-guards';
import { clipArg, containerOf, type FlowDeps } from './flow-deps';

export async function deploy(deps: FlowDeps, req: DeployRequest): Promise<ChangeResult> {
  const { ctx, approvals } = deps;
  const at = new Date(ctx.clock.now()).toISOString();
  let svc: NamedService;
  let sha: string;
  try {
    svc = getService(ctx.config, req.service);
    const parsed = parseSha(req.sha);
    if (!parsed) throw invalidInput(`git SHA must be 7 to 40 hex characters (got ${JSON.stringify(clipArg(req.sha))})`);
    sha = parsed;
  } catch (e) {
    return earlyResult(
      { kind: 'deploy', service: req.service, sha: req.sha, actor: req.actor, at },
      'invalid',
      errorInfo(e),
    );
  }
  if (req.dryRun) return dryRun(ctx, svc, sha, req.actor, at);

  return runChange(deps, { kind: 'deploy', svc, req, sha }, async (run, _state, current): Promise<Plan> => {
    // Read while the image resolves; it is awaited (within its ~2 s cap) before the approval, which shows it.
    const lookup = lookupChanges(ctx, svc, current, sha);
    run.start('resolve_image');
    const image = await ctx.ecr.resolveImage(svc.region, svc.ecrRepository, sha);
    // The container whose image is pinned is part of resolving it: a mismatch fails here, not in a later phase.
    const container = containerOf(current, svc);
    run.finish('resolve_image', 'ok', `${svc.ecrRepository}:${sha} → ${shortDigest(image.digest)}`);
    const changes = await announceChanges(run, lookup);
    if (!req.force && alreadyRunsDigest(current, svc, image.digest)) {
      run.skip('register', `already running ${shortDigest(image.digest)}`);
      return {
        to: current.arn,
        expectSha: sha,
        digest: image.digest,
        nothingToDo: `already running ${shortDigest(image.digest)} (${shortTaskDefinition(current.arn)}); deploy --force rolls it again`,
        changes,
      };
    }
    const pinned = pinImage(container.image, svc.ecrRepository, image.digest, image.imageUri);
    await run.save({ digest: image.digest, image: pinned });

    await approvals.usePhase(run, svc, 'deploy', req);

    run.start('register');
    const next = await ctx.ecs.registerRevision(svc.region, current, svc.container, pinned);
    await writeAudit(ctx, {
      actor: run.actor,
      action: 'ecs.register_task_definition',
      service: svc.name,
      details: { changeId: run.id, taskDefinition: next.arn, image: pinned },
    });
    run.finish(
      'register',
      'ok',
      `${shortTaskDefinition(current.arn)} → ${shortTaskDefinition(next.arn)} (${svc.container} @ ${shortDigest(image.digest)})`,
    );
    await run.save({ toTaskDefinition: next.arn });
    run.emit({
      type: 'plan',
      digest: image.digest,
      image: pinned,
      fromTaskDefinition: current.arn,
      toTaskDefinition: next.arn,
    });
    return { to: next.arn, expectSha: sha, digest: image.digest, force: Boolean(req.force), changes };
  });
}
