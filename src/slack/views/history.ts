/** `/deploys`: recent changes with outcome, who, what and how long. */
import type { DeployRecord } from '../../engine/model';
import { context, header, message, section, type SlackMessage } from './blocks';
import { actorText, slackDate, elapsedText, revisionOf, shortSha } from './format';

const MAX_ROWS = 20;

export function historyView(records: DeployRecord[], now: number, service?: string): SlackMessage {
  const title = service ? `Recent changes of ${service}` : 'Recent changes';
  if (!records.length) return message(`${title}: none`, [section(`${title}: none yet.`)]);
  const rows = records.slice(0, MAX_ROWS).map((r) => {
    const took = r.finishedAt ? elapsedText(r.startedAt, Date.parse(r.finishedAt)) : 'running';
    const what = r.sha ? `\`${shortSha(r.sha)}\`` : `\`${revisionOf(r.toTaskDefinition)}\``;
    return `• ${outcomeIcon(r.outcome)} *${r.service}* ${r.kind} ${what} by ${actorText(r.actor)}, ${slackDate(r.startedAt)}, took ${took}`;
  });
  const blocks = [header(title)];
  // A section holds 3000 characters: split the rows into a few sections.
  for (let i = 0; i < rows.length; i += 10) blocks.push(section(rows.slice(i, i + 10).join('\n')));
  if (records.length > MAX_ROWS) blocks.push(context([`${records.length - MAX_ROWS} older not shown`]));
  return message(`${title}: ${records.length}`, blocks);
}

function outcomeIcon(outcome: DeployRecord['outcome']): string {
  return outcome === 'succeeded' ? '✓' : outcome === 'running' ? '…' : '✗';
}
