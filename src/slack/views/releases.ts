/** `/rollback <service>` without a target: recent releases, each with "Roll back to this". */
import type { Release } from '../../engine/model';
import {
  button,
  context,
  header,
  message,
  section,
  sectionWithButton,
  type SlackBlock,
  type SlackMessage,
} from './blocks';
import { actorText, slackDate, digestPrefix, revisionOf, shortSha } from './format';

/** At most this many releases fit a message with room for the header and footer. */
export const MAX_RELEASES_SHOWN = 20;

/** The button value of `rollback_to`: which release, re-checked against the engine on click. */
export interface RollbackToValue {
  service: string;
  deployId: string;
  taskDefinition: string;
}

export function encodeRollbackTo(value: RollbackToValue): string {
  return JSON.stringify({ s: value.service, d: value.deployId, t: value.taskDefinition });
}

/** @returns undefined when the value is not one we produced. */
export function decodeRollbackTo(raw: string | undefined): RollbackToValue | undefined {
  try {
    const v = JSON.parse(raw ?? '') as { s?: unknown; d?: unknown; t?: unknown };
    if (typeof v.s === 'string' && typeof v.d === 'string' && typeof v.t === 'string')
      return { service: v.s, deployId: v.d, taskDefinition: v.t };
  } catch {
    // Not JSON, or JSON that is not an object: a forged or stale value, answered as one below.
  }
  return undefined;
}

export function releasesPickerView(service: string, releases: Release[]): SlackMessage {
  if (!releases.length)
    return message(`${service}: no earlier releases`, [
      section(`No recorded releases of *${service}* to roll back to.`),
    ]);
  const blocks: SlackBlock[] = [header(`Roll back ${service} to…`)];
  for (const r of releases.slice(0, MAX_RELEASES_SHOWN)) {
    const text = `\`${revisionOf(r.taskDefinition)}\` \`${shortSha(r.sha)}\` \`${digestPrefix(r.digest)}\`\n${actorText(r.actor)}, ${slackDate(r.at)}`;
    if (r.current) {
      blocks.push(section(`${text}\n_running now_`));
      continue;
    }
    blocks.push(
      sectionWithButton(
        text,
        button({
          text: 'Roll back to this',
          actionId: 'rollback_to',
          value: encodeRollbackTo({ service, deployId: r.deployId, taskDefinition: r.taskDefinition }),
          style: 'danger',
          confirm: {
            title: `Roll back ${service}?`,
            text: `Return ${service} to ${revisionOf(r.taskDefinition)} (${shortSha(r.sha)}).`,
            confirm: 'Roll back',
          },
        }),
      ),
    );
  }
  if (releases.every((r) => r.current))
    blocks.push(
      context([
        `No earlier release of ${service} is recorded; \`/rollback ${service} <revision>\` takes a task-definition revision of its own family.`,
      ]),
    );
  if (releases.length > MAX_RELEASES_SHOWN)
    blocks.push(
      context([
        `${releases.length - MAX_RELEASES_SHOWN} older releases not shown; use /rollback ${service} <revision|sha>`,
      ]),
    );
  return message(`Releases of ${service}`, blocks);
}
