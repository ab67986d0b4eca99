/**
 * What a person in Slack is told when the engine refused a change. A busy service (its lock held
 * by a change on another replica or in CI) is said in Slack's words: which change holds it, who
 * started it and since when. The engine's own message is written for the terminal, and its advice
 * to break the lock with `--force` is unsafe while that change is still running.
 */
import type { ChangeResult, Locks } from '../engine/api';
import { ErrorCodes } from '../errors';
import { sanitise } from './views/blocks';
import { actorText, slackDate } from './views/format';

/** The one line for a refused (or invalid) change. Never throws. */
export async function refusalText(engine: Pick<Locks, 'getLock'>, result: ChangeResult): Promise<string> {
  if (result.error?.code === ErrorCodes.promotionUnverified)
    return promotionRefusal(result.service, result.error.message);
  if (result.error?.code !== ErrorCodes.lockHeld) return `:no_entry: ${result.error?.message ?? result.summary}`;
  const lock = await engine.getLock(result.service).catch(() => undefined);
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
