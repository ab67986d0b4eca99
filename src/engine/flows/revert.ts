/** After a failed rollout or verification: roll back to the rollback point, verify, and finish. */
import type { NamedService } from '../../config/schema';
import { ErrorCodes, type ErrorCode } from '../../errors';
import type { ChangeRun } from '../change/change-run';
import type { ChangeResult, PhaseName } from '../model';
import { shaForTaskDefinition } from '../queries';
import { runningTaskDefinition } from '../watch/rollout';
import { shortTaskDefinition } from '../validate';
import type { VerifyOutcome } from '../watch/verify';
import { revert } from '../watch/way-back';
import { readRunning, type FlowDeps } from './flow-deps';

export interface RevertInput {
  run: ChangeRun;
  svc: NamedService;
  /** The rollback point. */
  from: string;
  verified: VerifyOutcome;
  common: Partial<ChangeResult>;
  seenEvents: Set<string>;
  started: number;
}

export async function revertAndFinish(deps: FlowDeps, input: RevertInput): Promise<ChangeResult> {
  const { ctx, lifecycle } = deps;
  const { run, svc, from, verified, common } = input;
  // Taken over by another process (this one stalled past its lease): the way back is that one's to take.
  if (!(await lifecycle.stillHolds(run))) return lifecycle.handedOver(run, common);
  const failure = verified.failure ?? { phase: 'rollout', reason: 'not verified' };
  const cancelled = failure.cancelled === true;
  const what = `${svc.name} ${cancelled ? 'was cancelled' : `failed at ${failure.phase}: ${failure.reason.replace(/\.+$/, '')}`}`;
  const watch = verified.watch;
  if (watch?.status === 'unseen' || watch?.status === 'ecs_rollback_failed') {
    // Never roll back (nor claim a rollback of) a deployment ECS did not show; ECS's own failed rollback needs a person.
    // An unreadable service is said in the summary ("could not be read"); the read's own error adds nothing.
    const final = await readRunning(ctx, svc).catch(() => null);
    const unseen = watch.status === 'unseen';
    const error = { code: unseen ? ErrorCodes.deploymentNotSeen : ErrorCodes.rollbackFailed, message: failure.reason };
    return lifecycle.finish(run, {
      ...common,
      outcome: unseen ? 'failed' : 'rollback_failed',
      finalTaskDefinition: final,
      failure,
      error,
      summary: `${what}. Nothing was rolled back; ${runsNow(final)}: a person must look.`,
    });
  }
  const expectSha = await shaForTaskDefinition(ctx, svc.name, from);
  const why = `${failure.phase}: ${failure.reason}`;
  const back = await revert(ctx, {
    run,
    svc,
    to: from,
    expectSha,
    skipSmoke: !svc.baseUrl,
    seenEvents: input.seenEvents,
    sinceMs: input.started,
    current: verified.state,
    why,
    watch,
    failedSha: common.sha ?? null,
  });
  // As above: an unreadable service is said in the summary.
  const final = back.state ? runningTaskDefinition(back.state) : await readRunning(ctx, svc).catch(() => null);
  if (back.ok) {
    const error = { code: cancelled ? ErrorCodes.cancelled : phaseFailed(failure.phase), message: failure.reason };
    return lifecycle.finish(run, {
      ...common,
      outcome: 'rolled_back',
      finalTaskDefinition: final,
      failure,
      error,
      summary: `${what}. Rolled back to ${shortTaskDefinition(from)} and verified; ${runsNow(final)}.`,
    });
  }
  const summary = `${what}. ROLLBACK FAILED: ${back.reason}. ${capitalise(runsNow(final))}: a person must look.`;
  return lifecycle.finish(run, {
    ...common,
    outcome: 'rollback_failed',
    finalTaskDefinition: final,
    failure,
    error: { code: ErrorCodes.rollbackFailed, message: back.reason },
    summary,
  });
}

/** What the service runs, or that it could not be read (never "runs -"). */
function runsNow(final: string | null): string {
  return final ? `the service runs ${shortTaskDefinition(final)}` : 'the service could not be read';
}

/** `<phase>_failed`: the code of a change that failed at that phase (after it started) and was rolled back. */
function phaseFailed(phase: PhaseName): ErrorCode {
  return `${phase}_failed`;
}

function capitalise(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
