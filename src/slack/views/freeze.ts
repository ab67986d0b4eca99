/**
 * How freezes read in Slack: one line per freeze (what, who set it, why, until when as a Slack
 * date in the reader's own time zone), the refusal of a deploy, and the answers to `/freeze`.
 */
import type { ActiveFreeze, AdHocFreeze } from '../../engine/api';
import { ALL_SERVICES } from '../../engine/freeze/model';
import type { Actor } from '../../engine/types';
import { sanitise } from './blocks';
import { actorText, slackDate } from './format';

/** `:snowflake: *weekend* (config window, America/New_York): weekend · until <date>` */
export function freezeLine(freeze: ActiveFreeze): string {
  const who =
    freeze.kind === 'window'
      ? `config window, ${freeze.timeZone ?? 'UTC'}`
      : `set by ${actorText(freeze.setBy)}${freeze.scope === ALL_SERVICES ? ' for all services' : ''}`;
  return `:snowflake: *${sanitise(freeze.name, 40)}* (${who}): ${sanitise(freeze.reason, 300)} · until ${slackDate(freeze.until)}`;
}

/** The freezes holding a service, one per line (at most five). */
export function freezeLines(freezes: readonly ActiveFreeze[]): string {
  const shown = freezes.slice(0, 5).map(freezeLine);
  if (freezes.length > 5) shown.push(`…and ${freezes.length - 5} more`);
  return shown.join('\n');
}

/** The ephemeral answer to a deploy a freeze refused. */
export function frozenRefusalText(service: string, freezes: readonly ActiveFreeze[]): string {
  if (freezes.length === 0)
    return `:no_entry: ${service} was frozen a moment ago, so the deploy was refused; the freeze has lifted since. Try again.`;
  return [
    `:no_entry: ${service} is frozen, so the deploy was refused. Nothing was changed.`,
    freezeLines(freezes),
    'Rollbacks, emergency stops and restarts still go through. To override, add `force` to the command: a second person must approve.',
  ].join('\n');
}

/** The in-channel line after `/freeze`. */
export function freezeSetText(freeze: AdHocFreeze): string {
  const scope = freeze.scope === ALL_SERVICES ? 'all services' : `*${freeze.scope}*`;
  return `:snowflake: ${actorText(freeze.setBy)} froze ${scope} until ${slackDate(freeze.until)}: ${sanitise(freeze.reason, 300)}. Deploys are refused until then; rollbacks, emergency stops and restarts go through.`;
}

/** The in-channel line after `/unfreeze`, with the freezes that still hold. */
export function unfreezeText(
  scope: string,
  removed: AdHocFreeze | undefined,
  by: Actor,
  still: readonly ActiveFreeze[],
): string {
  const name = scope === ALL_SERVICES ? 'all services' : `*${scope}*`;
  const head = removed
    ? `:sunny: ${actorText(by)} lifted the freeze on ${name} (${sanitise(removed.reason, 200)}).`
    : `${name} had no freeze set with /freeze; nothing was lifted.`;
  return still.length ? `${head}\nStill in force:\n${freezeLines(still)}` : head;
}
