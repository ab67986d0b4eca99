/**
 * The shared second half of every change: move the service to a task definition, watch it,
 * verify targets, smoke checks and logs; and the way back when any of that fails.
 */
import type { NamedService } from '../../config/schema';
import { describeError } from '../../errors';
import type { ChangeRun } from '../change/change-run';
import type { EngineContext } from '../context';
import type { LogFindings, PhaseName } from '../model';
import { describeCounts, runningTaskDefinition } from './rollout';
import { runRolloutPhase, type RolloutStart } from './rollout-phase';
import type { WatchVerdict } from './watch-deployment';
import { rollbackStart, shaFromImageTags, stillRunsFailedSha } from './rollback-check';
import { smokeFailureReason } from './smoke-failure';
import { describeTargetCounts, waitForHealthyTargets } from './targets';
import type { ServiceState, SmokeResult, TargetHealth } from '../types';
import { shortTaskDefinition } from '../validate';
import { replaceControlCharacters } from '../../text/control';

export interface VerifyPlan {
  run: ChangeRun;
  svc: NamedService;
  /** Task-definition ARN to run. */
  to: string;
  expectSha: string | null;
  skipSmoke: boolean;
  /** Skip the UpdateService (already applied: resumed change, or ECS already rolled back to it). */
  alreadyApplied: boolean;
  seenEvents: Set<string>;
  /** Logs are scanned from here (epoch ms). */
  sinceMs: number;
  signal?: AbortSignal;
  /** The phase name under which the rollout is reported (`rollout`, or `rollback` on the way back). */
  rolloutPhase: PhaseName;
  /** Whether to check the logs (not on the way back: the old errors are not the old release's). */
  checkLogs: boolean;
  /** Report everything inside the one rollout phase (used on the way back), not as phases of their own. */
  nested?: boolean;
  /** How the rollout starts, when not a plain UpdateService (or a resume, with `alreadyApplied`). */
  start?: RolloutStart;
  /** UpdateService with forceNewDeployment. */
  force?: boolean;
  /** Blue/green: the target group to check when the rollout verdict names none. */
  targetGroupArn?: string | null;
}

export interface VerifyOutcome {
  ok: boolean;
  failure: { phase: PhaseName; reason: string } | null;
  state: ServiceState | null;
  smoke: SmokeResult[];
  targets: TargetHealth[];
  logs: LogFindings | null;
  /** What the rollout watch concluded (absent when the rollout never started). */
  watch?: WatchVerdict;
}

export async function applyAndVerify(ctx: EngineContext, p: VerifyPlan): Promise<VerifyOutcome> {
  const out: VerifyOutcome = { ok: false, failure: null, state: null, smoke: [], targets: [], logs: null };
  const { svc } = p;
  const run = p.nested ? nestedPhases(p.run) : p.run;
  /** `detail`: the phase's line in the checklist and report, when it says more than the reason. */
  const fail = (phase: PhaseName, reason: string, detail = reason): VerifyOutcome => {
    run.finish(phase, 'failed', detail);
    out.failure = { phase, reason };
    return out;
  };
  const pollMs = svc.timeouts.poll;

  // Rollout
  run.start(p.rolloutPhase);
  const verdict = await runRolloutPhase(ctx, {
    run,
    svc,
    to: p.to,
    phase: p.rolloutPhase,
    seenEvents: p.seenEvents,
    signal: p.signal,
    expectSha: p.expectSha,
    start: p.start ?? (p.alreadyApplied ? { kind: 'resume', since: p.sinceMs } : { kind: 'update', force: p.force }),
  });
  out.state = verdict.state;
  if (verdict.status !== 'not_started') out.watch = verdict;
  // Which source judged goes in the phase's detail (checklist, report), not in every sentence that quotes the reason.
  if (verdict.status !== 'completed')
    return fail(
      p.rolloutPhase,
      verdict.reason,
      verdict.status === 'not_started' ? verdict.reason : `${verdict.reason} (judged by the ${verdict.source})`,
    );
  run.finish(
    p.rolloutPhase,
    'ok',
    `${shortTaskDefinition(p.to)} ${describeCounts(verdict.state, p.to)} (judged by the ${verdict.source})`,
  );

  // Targets
  if (!svc.targetGroupArn) {
    run.skip('targets', 'no targetGroupArn configured');
  } else {
    run.start('targets');
    const arn = verdict.targetGroupArn ?? p.targetGroupArn ?? svc.targetGroupArn;
    const expected =
      verdict.state.deployments.find((d) => d.status === 'PRIMARY')?.desiredCount ?? verdict.state.desiredCount;
    const t = await waitForHealthyTargets({
      read: () => ctx.elb.describeTargetHealth(svc.region, arn),
      expected,
      clock: ctx.clock,
      timeoutMs: svc.timeouts.targetHealth,
      pollMs,
      signal: p.signal,
      onChange: (targets) => run.emit({ type: 'targets', targets }),
    });
    out.targets = t.targets;
    if (!t.ok) return fail('targets', t.reason);
    run.finish('targets', 'ok', `${describeTargetCounts(t.targets)}${t.note ? ` (${t.note})` : ''}`);
  }

  // Smoke
  if (p.skipSmoke) {
    run.skip('smoke', 'skipped on request (--skip-smoke)');
  } else if (!svc.baseUrl) {
    run.skip('smoke', 'no baseUrl configured');
  } else {
    run.start('smoke');
    const smoke = await ctx.http.runSmoke(svc, { expectSha: p.expectSha ?? undefined, signal: p.signal });
    out.smoke = smoke.results;
    run.emit({ type: 'smoke', results: smoke.results });
    if (!smoke.passed) return fail('smoke', smokeFailureReason(smoke.results));
    const passed = smoke.results.filter((r) => r.status === 'pass').length;
    const warned = smoke.results.filter((r) => r.status === 'warn' || r.status === 'error').length;
    run.finish('smoke', 'ok', `${passed}/${smoke.results.length} passed${warned ? `, ${warned} warning(s)` : ''}`);
  }

  // Logs
  if (!p.checkLogs) {
    // nothing: the way back is judged by rollout, targets and smoke
  } else if (!svc.logGroup) {
    run.skip('logs', 'no logGroup configured');
  } else {
    run.start('logs');
    const pattern = svc.logs.errorPattern;
    try {
      const r = await ctx.logs.filterLogEvents(svc.region, {
        logGroup: svc.logGroup,
        since: p.sinceMs,
        until: ctx.clock.now(),
        pattern,
        maxEvents: 1000,
      });
      const findings: LogFindings = {
        pattern,
        count: r.events.length,
        truncated: r.truncated,
        sample: r.events
          .slice(0, 10)
          .map((e) => ({ timestamp: e.timestamp.toISOString(), message: clip(e.message, 300) })),
      };
      out.logs = findings;
      run.emit({ type: 'logs', findings });
      const countText = `${findings.count}${findings.truncated ? '+' : ''} line(s) matching ${JSON.stringify(pattern)}`;
      if (svc.logs.failOver !== undefined && findings.count >= svc.logs.failOver) {
        return fail('logs', `${countText} (fails at ${svc.logs.failOver})`);
      }
      run.finish('logs', 'ok', svc.logs.failOver === undefined ? `${countText} (report only)` : countText);
    } catch (error) {
      const reason = `could not read logs: ${describeError(error)}`;
      if (svc.logs.failOver !== undefined) return fail('logs', reason);
      run.finish('logs', 'skipped', reason);
    }
  }
  out.ok = true;
  return out;
}

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
  const verified = [healthy, v.smoke.length ? `smoke passed${expectSha ? ` (${expectSha.slice(0, 7)})` : ''}` : null]
    .filter(Boolean)
    .join(', ');
  if (v.ok)
    p.run.finish('rollback', 'ok', `${shortTaskDefinition(p.to)} running${verified ? `, ${verified}` : ''}${how}`);
  else
    p.run.finish(
      'rollback',
      'failed',
      `${v.failure?.phase === 'rollback' ? '' : `${v.failure?.phase}: `}${v.failure?.reason}`,
    );
  return {
    ok: v.ok,
    reason: v.ok
      ? `rolled back to ${shortTaskDefinition(p.to)}${how}, verified`
      : `rollback to ${shortTaskDefinition(p.to)} failed at ${v.failure?.phase}: ${v.failure?.reason}`,
    state: v.state,
    smoke: v.smoke,
    targets: v.targets,
  };
}

/**
 * On the way back, the rollout, targets and smoke steps all belong to the one `rollback` phase:
 * their starts and successes are not phases of their own; a failure is returned, not recorded.
 */
function nestedPhases(run: ChangeRun): Pick<ChangeRun, 'start' | 'finish' | 'skip' | 'emit' | 'iso' | 'actor' | 'id'> {
  return {
    start: () => undefined,
    finish: (name, status, detail) => ({ name, status, startedAt: run.iso(), finishedAt: run.iso(), detail }),
    skip: (name, detail) => ({ name, status: 'skipped', startedAt: run.iso(), finishedAt: run.iso(), detail }),
    emit: (body) => run.emit(body),
    iso: (ms?: number) => run.iso(ms),
    actor: run.actor,
    id: run.id,
  };
}

function clip(text: string, max: number): string {
  const line = replaceControlCharacters(text).trimEnd();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
