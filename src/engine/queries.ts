/** The read-only answers: status, version, logs, releases. */
import type { NamedService } from '../config/schema';
import { describeError } from '../errors';
import type { LogsReport, LogsRequest, ServiceStatus, VersionReport } from './api';
import type { EngineContext } from './context';
import type { Release } from './model';
import { invalidInput } from './change/results';
import { runningTaskDefinition } from './watch/rollout';
import { countTargets } from './watch/targets';
import type { TargetHealth } from './types';
import { isValidSha, shaMatches } from './release-ref';
import { containerImage, digestOf, shortTaskDefinition } from './validate';
import { freezesOf } from './freeze/freezes';

export async function status(ctx: EngineContext, svc: NamedService): Promise<ServiceStatus> {
  const [state] = await ctx.ecs.describeServices(svc.region, svc.cluster, [svc.service]);
  const td = await ctx.ecs.describeTaskDefinition(svc.region, runningTaskDefinition(state));
  const image = containerImage(td, svc.container) ?? '';
  const warnings: string[] = [];
  let targets: TargetHealth[] | null = null;
  if (svc.targetGroupArn) {
    try {
      targets = await ctx.elb.describeTargetHealth(svc.region, svc.targetGroupArn);
    } catch (e) {
      // The status is still worth showing without target health: the reader sees why it is missing.
      warnings.push(`target health unavailable: ${describeError(e)}`);
    }
  }
  return {
    service: svc,
    state,
    taskDefinition: td,
    revision: shortTaskDefinition(td.arn),
    image,
    digest: digestOf(image),
    targets,
    targetCounts: targets ? countTargets(targets) : null,
    lock: (await ctx.store.getLock(svc.name)) ?? null,
    pendingApprovals: (await ctx.store.listApprovals({ service: svc.name, status: 'pending' })).filter(
      (a) => Date.parse(a.expiresAt) > ctx.clock.now(),
    ),
    lastDeploy: (await ctx.store.listDeploys({ service: svc.name, limit: 1 }))[0] ?? null,
    keptCount: (await ctx.store.getKeptCount(svc.name)) ?? null,
    freezes: await freezesOf(ctx, svc.name),
    warnings,
  };
}

export async function version(ctx: EngineContext, svc: NamedService): Promise<VersionReport> {
  const [endpoint, [state]] = await Promise.all([
    ctx.http.fetchVersion(svc),
    ctx.ecs.describeServices(svc.region, svc.cluster, [svc.service]),
  ]);
  const arn = runningTaskDefinition(state);
  const td = await ctx.ecs.describeTaskDefinition(svc.region, arn);
  const image = containerImage(td, svc.container) ?? '';
  const sha = (await shaForTaskDefinition(ctx, svc.name, arn)) ?? tagSha(image);
  const agreement = !endpoint.gitSha || !sha ? 'unknown' : shaMatches(endpoint.gitSha, sha) ? 'agree' : 'disagree';
  return {
    service: svc.name,
    endpoint,
    running: { taskDefinition: arn, image, digest: digestOf(image), sha },
    agreement,
  };
}

export async function logs(ctx: EngineContext, svc: NamedService, req: LogsRequest): Promise<LogsReport> {
  if (!svc.logGroup) throw invalidInput(`${svc.name} has no logGroup configured`);
  const sinceMs = req.sinceMs ?? 30 * 60_000;
  const pattern = req.pattern ?? svc.logs.errorPattern;
  const since = ctx.clock.now() - sinceMs;
  const r = await ctx.logs.filterLogEvents(svc.region, {
    logGroup: svc.logGroup,
    since,
    until: ctx.clock.now(),
    pattern,
    maxEvents: Math.min(req.limit ?? 50, 1000),
  });
  const events = [...r.events].sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime());
  return {
    service: svc.name,
    logGroup: svc.logGroup,
    pattern,
    since: new Date(since).toISOString(),
    events,
    truncated: r.truncated,
  };
}

/** Successful deploys and rollbacks, newest first, one per task definition. */
export async function releases(ctx: EngineContext, service: string, limit: number): Promise<Release[]> {
  const rows = (await ctx.store.listDeploys({ service, outcome: 'succeeded', limit: 500 })).filter(
    (r) => r.kind === 'deploy' || r.kind === 'rollback',
  );
  const seen = new Set<string>();
  const out: Release[] = [];
  for (const r of rows) {
    const td = r.toTaskDefinition;
    if (!td || seen.has(td)) continue;
    seen.add(td);
    out.push({
      deployId: r.id,
      sha: r.sha,
      digest: r.digest,
      taskDefinition: td,
      at: r.finishedAt ?? r.startedAt,
      actor: r.actor,
      current: out.length === 0,
    });
    if (out.length >= limit) break;
  }
  return out;
}

export async function shaForTaskDefinition(
  ctx: EngineContext,
  service: string,
  taskDefinition: string,
): Promise<string | null> {
  const rows = await ctx.store.listDeploys({ service, limit: 500 });
  return (
    rows.find((r) => (r.kind === 'deploy' || r.kind === 'rollback') && r.toTaskDefinition === taskDefinition && r.sha)
      ?.sha ?? null
  );
}

/** An image tagged with a git SHA (`repo:abc1234`) tells its SHA. */
function tagSha(image: string): string | null {
  if (image.includes('@')) return null;
  const tag = image.slice(image.lastIndexOf(':') + 1);
  return image.includes(':') && isValidSha(tag) ? tag : null;
}
