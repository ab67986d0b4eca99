/** The way back: roll the service back to the release before and verify it as a deploy is verified. */
import type { EngineContext } from '../context';
import type { ServiceState, SmokeResult, TargetHealth } from '../types';
import { shortSha, shortTaskDefinition } from '../validate';
import { rollbackStart, shaFromImageTags, stillRunsFailedSha } from './rollback-check';
import { applyAndVerify, type VerifyPlan } from './verify';
import type { WatchVerdict } from './watch-deployment';

export interface RevertOutcome {
  ok: boolean;
  reason: string;
  state: ServiceState | null;
  smoke: SmokeResult[];
  targets: TargetHealth[];
}

/**
 * Rolls the service back to `to` and verifies it like a deploy, against the old release's SHA.
 * When ECS rolled back by itself, verifies without updating again; when our deployment is still
 * in flight and ECS keeps its record, asks ECS to stop it with a rollback.
 */
export async function revert(
  ctx: EngineContext,
  p: Omit<VerifyPlan, 'alreadyApplied' | 'rolloutPhase' | 'checkLogs' | 'signal'> & {
    current: ServiceState | null;
    why: string;
    watch?: WatchVerdict | null;
    failedSha?: string | null;
  },
): Promise<RevertOutcome> {
  const failedSha = p.failedSha ?? null;
  const expectSha = p.expectSha ?? (await shaFromImageTags(ctx, p.svc, p.to, failedSha));
  let start = rollbackStart(p.watch);
  p.run.emit({ type: 'rollback_started', reason: p.why, toTaskDefinition: p.to });
  p.run.start('rollback');
  const plan = {
    ...p,
    expectSha,
    alreadyApplied: false,
    rolloutPhase: 'rollback' as const,
    checkLogs: false,
    nested: true,
    targetGroupArn: p.targetGroupArn ?? p.watch?.targetGroupArn,
  };
  let v = await applyAndVerify(ctx, { ...plan, start });
  if (start.kind === 'stop' && !v.watch) {
    // ECS would not stop it (finished meanwhile, or the call is not allowed): update back instead.
    start = { kind: 'update' };
    v = await applyAndVerify(ctx, { ...plan, start });
  }
  if (v.ok) {
    const still = await stillRunsFailedSha(ctx, p.svc, failedSha, expectSha);
    if (still) v = { ...v, ok: false, failure: { phase: 'smoke', reason: still } };
  }
  const how =
    start.kind === 'ecs'
      ? p.watch?.requestedRollback
        ? ' (production traffic switched back to blue)'
        : ' (ECS rolled back by itself)'
      : start.kind === 'stop'
        ? ' (ECS stopped our deployment with a rollback)'
        : '';
  const healthy = v.targets.some((t) => t.state === 'healthy') ? 'targets healthy' : null;
  const verified = [healthy, v.smoke.length ? `smoke passed${expectSha ? ` (${shortSha(expectSha)})` : ''}` : null]
    .filter(Boolean)
    .join(', ');
  const failure = v.failure ?? { phase: 'rollback', reason: 'not verified' };
  if (v.ok)
    p.run.finish('rollback', 'ok', `${shortTaskDefinition(p.to)} running${verified ? `, ${verified}` : ''}${how}`);
  else
    p.run.finish('rollback', 'failed', `${failure.phase === 'rollback' ? '' : `${failure.phase}: `}${failure.reason}`);
  return {
    ok: v.ok,
    reason: v.ok
      ? `rolled back to ${shortTaskDefinition(p.to)}${how}, verified`
      : `rollback to ${shortTaskDefinition(p.to)} failed at ${failure.phase}: ${failure.reason}`,
    state: v.state,
    smoke: v.smoke,
    targets: v.targets,
  };
}
