/**
 * The `outage` scenario: a sustained AWS outage of the reads a rollout is watched by. Each
 * UpdateService starts (or restarts) a spell of `knobs.outageMs` on the simulated clock during
 * which DescribeServices and DescribeTargetHealth answer 500, while the rollout itself goes on;
 * then they answer again.
 */
import { serverError, type AwsService } from './faults';
import { simNow, type SimState } from './model';
import type { AwsError } from './wire';

/** The reads that fail during the spell: what a watcher needs, not what starts or stops a rollout. */
export const OUTAGE_OPERATIONS: ReadonlySet<string> = new Set(['DescribeServices', 'DescribeTargetHealth']);

/** Call after a successful UpdateService: in the `outage` scenario the reads go down from now on. */
export function startOutageAfterWrite(state: SimState): void {
  if (state.scenario !== 'outage') return;
  state.outageUntil = simNow(state) + Math.max(0, state.knobs.outageMs);
}

/** The 500 a read answers with while the spell lasts (and the scenario is still `outage`), else undefined. */
export function outageError(state: SimState, service: AwsService, operation: string): AwsError | undefined {
  if (state.scenario !== 'outage' || state.outageUntil === undefined || !OUTAGE_OPERATIONS.has(operation))
    return undefined;
  if (simNow(state) < state.outageUntil) return serverError(service, 500);
  state.outageUntil = undefined;
  return undefined;
}
