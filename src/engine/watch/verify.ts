/**
 * The shared second half of every change: move the service to a task definition, watch it,
 * verify targets, smoke checks and logs; and the way back when any of that fails.
 */
import type { NamedService } from '../../config/schema';
import { describeError } from '../../errors';
import type { ChangeRun } from '../change/change-run';
import type { EngineContext } from '../context';
import type { LogFindings, PhaseName } from '../model';
import { cancelRequested, describeCounts, primaryDeployment } from './rollout';
import { runRolloutPhase, type RolloutStart } from './rollout-phase';
import type { WatchVerdict } from './watch-deployment';
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
  /** `cancelled`: the check ended because a person cancelled the change. */
  failure: { phase: PhaseName; reason: string; cancelled?: boolean } | null;
  state: ServiceState | null;
  smoke: SmokeResult[];
  targets: TargetHealth[];
  logs: LogFindings | null;
  /** What the rollout watch concluded (absent when the rollout never started). */
  watch?: WatchVerdict;
}

/** Why a step failed: `detail` is the phase's line in the checklist and report, when it says more than the reason. */
interface StepFailure {
  phase: PhaseName;
  reason: string;
  detail?: string;
}

type CompletedVerdict = Extract<WatchVerdict, { status: 'completed' }>;
type VerifyRun = ReturnType<typeof nestedPhases>;

export async function applyAndVerify(ctx: EngineContext, p: VerifyPlan): Promise<VerifyOutcome> {
  const out: VerifyOutcome = { ok: false, failure: null, state: null, smoke: [], targets: [], logs: null };
  const run = p.nested ? nestedPhases(p.run) : p.run;
  const verdict = await rolloutStep(ctx, p, run, out);
  const failure =
    'phase' in verdict
      ? verdict
      : ((await targetsStep(ctx, p, run, out, verdict)) ??
        (await smokeStep(ctx, p, run, out)) ??
        (await logsStep(ctx, p, run, out)));
  if (!failure) return { ...out, ok: true };
  run.finish(failure.phase, 'failed', failure.detail ?? failure.reason);
  const cancelled = cancelRequested(p.signal);
  return { ...out, failure: { phase: failure.phase, reason: failure.reason, ...(cancelled && { cancelled }) } };
}

async function rolloutStep(
  ctx: EngineContext,
  p: VerifyPlan,
  run: VerifyRun,
  out: VerifyOutcome,
): Promise<CompletedVerdict | StepFailure> {
  run.start(p.rolloutPhase);
  const verdict = await runRolloutPhase(ctx, {
    run,
    svc: p.svc,
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
  if (verdict.status === 'not_started') return { phase: p.rolloutPhase, reason: verdict.reason };
  if (verdict.status !== 'completed')
    return {
      phase: p.rolloutPhase,
      reason: verdict.reason,
      detail: `${verdict.reason} (judged by the ${verdict.source})`,
    };
  run.finish(
    p.rolloutPhase,
    'ok',
    `${shortTaskDefinition(p.to)} ${describeCounts(verdict.state, p.to)} (judged by the ${verdict.source})`,
  );
  return verdict;
}

async function targetsStep(
  ctx: EngineContext,
  { svc, ...p }: VerifyPlan,
  run: VerifyRun,
  out: VerifyOutcome,
  verdict: CompletedVerdict,
): Promise<StepFailure | null> {
  if (!svc.targetGroupArn) {
    run.skip('targets', 'no targetGroupArn configured');
    return null;
  }
  run.start('targets');
  const arn = verdict.targetGroupArn ?? p.targetGroupArn ?? svc.targetGroupArn;
  const expected = primaryDeployment(verdict.state)?.desiredCount ?? verdict.state.desiredCount;
  const t = await waitForHealthyTargets({
    read: () => ctx.elb.describeTargetHealth(svc.region, arn),
    expected,
    clock: ctx.clock,
    timeoutMs: svc.timeouts.targetHealth,
    pollMs: svc.timeouts.poll,
    signal: p.signal,
    onChange: (targets) => run.emit({ type: 'targets', targets }),
  });
  out.targets = t.targets;
  if (!t.ok) return { phase: 'targets', reason: t.reason };
  run.finish('targets', 'ok', `${describeTargetCounts(t.targets)}${t.note ? ` (${t.note})` : ''}`);
  return null;
}

async function smokeStep(
  ctx: EngineContext,
  { svc, ...p }: VerifyPlan,
  run: VerifyRun,
  out: VerifyOutcome,
): Promise<StepFailure | null> {
  if (p.skipSmoke) {
    run.skip('smoke', 'skipped on request (--skip-smoke)');
    return null;
  }
  if (!svc.baseUrl) {
    run.skip('smoke', 'no baseUrl configured');
    return null;
  }
  run.start('smoke');
  const smoke = await ctx.http.runSmoke(svc, { expectSha: p.expectSha ?? undefined, signal: p.signal });
  out.smoke = smoke.results;
  run.emit({ type: 'smoke', results: smoke.results });
  if (!smoke.passed) return { phase: 'smoke', reason: smokeFailureReason(smoke.results) };
  const passed = smoke.results.filter((r) => r.status === 'pass').length;
  const warned = smoke.results.filter((r) => r.status === 'warn' || r.status === 'error').length;
  run.finish('smoke', 'ok', `${passed}/${smoke.results.length} passed${warned ? `, ${warned} warning(s)` : ''}`);
  return null;
}

/** Not on the way back (`checkLogs` false): that is judged by rollout, targets and smoke. */
async function logsStep(
  ctx: EngineContext,
  { svc, ...p }: VerifyPlan,
  run: VerifyRun,
  out: VerifyOutcome,
): Promise<StepFailure | null> {
  if (!p.checkLogs) return null;
  if (!svc.logGroup) {
    run.skip('logs', 'no logGroup configured');
    return null;
  }
  run.start('logs');
  const pattern = svc.logs.errorPattern;
  const failOver = svc.logs.failOver;
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
    if (failOver !== undefined && findings.count >= failOver)
      return { phase: 'logs', reason: `${countText} (fails at ${failOver})` };
    run.finish('logs', 'ok', failOver === undefined ? `${countText} (report only)` : countText);
  } catch (error) {
    // An unreadable log group fails the change only where logs can fail it; else it is noted and skipped.
    const reason = `could not read logs: ${describeError(error)}`;
    if (failOver !== undefined) return { phase: 'logs', reason };
    run.finish('logs', 'skipped', reason);
  }
  return null;
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
