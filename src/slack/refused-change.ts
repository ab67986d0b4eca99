/**
 * What a person in Slack is told when the engine refused a change. A busy service (its lock held
 * by a change on another replica or in CI) is said in Slack's words from the holder the result
 * carries: which change holds it, who started it and since when. Slack's advice is to wait; the
 * terminal's (break the lock with `--force`) is unsafe while that change is still running.
 */
import type { ChangeResult, Freezes } from '../engine/api';
import { ErrorCodes, type ErrorCode } from '../errors';
import { sanitise } from './views/blocks';
import { actorText, slackDate } from './views/format';
import { frozenRefusalText } from './views/freeze';

/**
 * How Slack opens the line of each error: a stop sign where nothing was tried (refused, bad input or
 * configuration), a cross where something failed. A new code does not compile until it is placed here.
 */
export const SLACK_ERROR_ICON: Record<ErrorCode, ':no_entry:' | ':x:'> = {
  invalid_input: ':no_entry:',
  invalid_config: ':no_entry:',
  unknown_service: ':no_entry:',
  image_not_found: ':no_entry:',
  container_not_found: ':no_entry:',
  release_not_found: ':no_entry:',
  task_definition_not_found: ':no_entry:',
  service_not_found: ':no_entry:',
  not_found: ':no_entry:',
  log_group_not_found: ':no_entry:',
  target_group_not_found: ':no_entry:',
  nothing_to_restore: ':no_entry:',
  access_denied: ':no_entry:',
  cancelled: ':no_entry:',
  store_error: ':no_entry:',
  lock_held: ':no_entry:',
  forbidden: ':no_entry:',
  approval_required: ':no_entry:',
  approval_invalid: ':no_entry:',
  deployment_in_progress: ':no_entry:',
  shutting_down: ':no_entry:',
  frozen: ':no_entry:',
  promotion_unverified: ':no_entry:',
  throttled: ':x:',
  aws_error: ':x:',
  timeout: ':x:',
  lease_lost: ':x:',
  stale_fence: ':x:',
  http_error: ':x:',
  unexpected: ':x:',
  deployment_not_seen: ':x:',
  rollback_failed: ':x:',
  api_unavailable: ':x:',
  service_deployment_not_found: ':x:',
  service_deployment_conflict: ':x:',
  no_paused_hook: ':x:',
  slack_respond_error: ':x:',
  outcome_unrecorded: ':x:',
  validate_failed: ':x:',
  resolve_image_failed: ':x:',
  read_service_failed: ':x:',
  approval_failed: ':x:',
  register_failed: ':x:',
  rollout_failed: ':x:',
  targets_failed: ':x:',
  smoke_failed: ':x:',
  logs_failed: ':x:',
  record_failed: ':x:',
};

/** The one line for a refused (or invalid) change; a freeze is read for its window. Never throws. */
export async function refusalText(
  engine: Partial<Pick<Freezes, 'activeFreezes'>>,
  result: ChangeResult,
): Promise<string> {
  if (result.error?.code === ErrorCodes.frozen && engine.activeFreezes) {
    // Without the freeze's window the engine's own message is said instead.
    const freezes = await engine.activeFreezes(result.service).catch(() => null);
    if (freezes) return frozenRefusalText(result.service, freezes);
  }
  if (!result.error) return `:no_entry: ${result.summary}`;
  if (result.error.code === ErrorCodes.promotionUnverified)
    return promotionRefusal(result.service, result.error.message);
  if (result.error.code !== ErrorCodes.lockHeld)
    return `${SLACK_ERROR_ICON[result.error.code]} ${result.error.message}`;
  const lock = result.lockHolder;
  if (!lock)
    return `:no_entry: ${result.service} was busy with another change a moment ago. Nothing was done; try again.`;
  const who = `${actorText(lock.actor)}${lock.actor.via === 'cli' ? ' (CLI)' : ''}`;
  return `:no_entry: ${result.service} is busy: ${lock.action} \`${lock.changeId}\` by ${who} has been running since ${slackDate(lock.acquiredAt)}. Nothing was done; try again once it has finished.`;
}

/** The engine's refusal says where the release was last seen; in Slack the override is the word `force`. */
function promotionRefusal(service: string, message: string): string {
  const advice = `An override needs \`force\`: \`/deploy ${service} from &lt;source&gt; force\``;
  return `:no_entry: ${sanitise(message, 600).replace('An override needs --force', advice)}`;
}
