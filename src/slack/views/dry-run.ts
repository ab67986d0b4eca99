/** `/deploy … --dry-run`: the plan, changing nothing. */
import type { ChangeResult } from '../../engine/model';
import { context, header, message, preformatted, sanitise, section, type SlackMessage } from './blocks';
import { digestPrefix, revisionOf, shortSha } from './format';

export function dryRunView(result: ChangeResult): SlackMessage {
  const plan = result.dryRun;
  const title = `Dry run: deploy ${result.service} ${shortSha(result.sha)}`;
  if (!plan) return message(`${title}: ${result.summary}`, [header(title), section(sanitise(result.summary, 1000))]);
  const blocks = [
    header(title),
    section(
      `Image \`${sanitise(plan.image, 300)}\`\nDigest \`${digestPrefix(plan.digest)}\`\n\`${revisionOf(plan.fromTaskDefinition)}\` → \`${revisionOf(plan.toTaskDefinition)}\``,
    ),
  ];
  if (plan.diff.length) blocks.push(preformatted(plan.diff.slice(0, 40).join('\n'), 2500));
  blocks.push(context(['Nothing was changed.']));
  return message(`${title}: ${revisionOf(plan.fromTaskDefinition)} → ${revisionOf(plan.toTaskDefinition)}`, blocks);
}
