/** After a failed rollout or verification: roll back to the rollback point, verify, and finish. */
import type { NamedService } from '../../config/schema';
import { ErrorCodes } from '../../errors';
import type { ChangeRun } from '../change-run';
import type { ChangeResult } from '../model';
import { shaForTaskDefinition } from '../queries';
import { runningTaskDefinition } from '../rollout';
import { shortTaskDefinition } from '../validate';
import { revert, type VerifyOutcome } from '../verify';
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
  const failure = verified.failure!;
  const cancelled = failure.reason.startsWith('cancelled');
  const expectSha = await shaForTaskDefinition(ctx, svc.name, from);
  const why = `${failure.phase}: ${failure.reason}`;
  const back = await revert(ctx, { run, svc, to: from, expectSha, skipSmoke: !svc.baseUrl, seenEvents: input.seenEvents, sinceMs: input.started, current: verified.state, why });
  const final = back.state ? runningTaskDefinition(back.state) : await readRunning(ctx, svc).catch(() => null);
  const what = `${svc.name} ${cancelled ? 'was cancelled' : `failed at ${failure.phase}: ${failure.reason.replace(/\.+$/, '')}`}`;
  if (back.ok) {
    const error = { code: cancelled ? ErrorCodes.cancelled : `${failure.phase}_failed`, message: failure.reason };
    return lifecycle.finish(run, { ...common, outcome: 'rolled_back', finalTaskDefinition: final, failure, error, summary: `${what}. Rolled back to ${shortTaskDefinition(from)} and verified; the service runs ${shortTaskDefinition(final)}.` });
  }
  const summary = `${what}. ROLLBACK FAILED: ${back.reason}. The service runs ${shortTaskDefinition(final)}: a person must look.`;
  return lifecycle.finish(run, { ...common, outcome: 'rollback_failed', finalTaskDefinition: final, failure, error: { code: 'rollback_failed', message: back.reason }, summary });
}
