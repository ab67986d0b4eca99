/** Shared by deploy and rollback: the `--json` ChangeResult for calls that never reached the engine. */
import type { ChangeKind, ChangeResult, Outcome } from '../engine/model';
import { earlyResult } from '../engine/change/results';
import type { Actor } from '../engine/types';
import type { CommandResult } from './context';
import { classifyError, errorBody } from './errors';
import { MAX_ARGUMENT_LENGTH } from './validate';

/** Echo an argument back only when it is short enough to be worth reading. */
function echo(value: string | undefined): string | null {
  return value && value.length <= MAX_ARGUMENT_LENGTH ? value : null;
}

/**
 * The ChangeResult shape (every field present, nulls where nothing applies) for an error
 * raised before or around the engine call.
 */
export function failedChangeResult(
  kind: ChangeKind,
  input: { service?: string; sha?: string; startedAt: string; actor: Actor | null },
  error: unknown,
): ChangeResult & { error: NonNullable<ChangeResult['error']> } {
  const { outcome: cls } = classifyError(error, true);
  // An engine call that blew up part-way leaves the service in an unknown state.
  const outcome: Outcome = cls === 'failed' ? 'interrupted' : cls;
  const body = errorBody(error);
  const fields = {
    kind,
    service: echo(input.service) ?? '',
    sha: echo(input.sha),
    actor: input.actor,
    at: input.startedAt,
    finishedAt: new Date().toISOString(),
    summary: body.message,
  };
  return { ...earlyResult(fields, outcome, body), error: body };
}

/** What the operator runs when a change's outcome could not be recorded; null otherwise. */
export function unrecordedAdvice(result: ChangeResult): string | null {
  if (!result.unrecorded) return null;
  const as = result.outcome === 'succeeded' ? ' as succeeded' : '';
  return `The store could not record how ${result.deployId ?? 'this change'} ended. Once it can be written again (free some disk), run \`ecs-chatops recover\`: it records the change${as} and frees the lock of ${result.service} (or wait for the lock's lease to run out).`;
}

/** A ChangeResult as a command result; `text` is what goes to stdout in human mode. */
export function changeCommandResult(result: ChangeResult, text?: string): CommandResult {
  return { exitCode: result.exitCode, json: result as unknown as Record<string, unknown>, text };
}
