/** `/status`: counts, deployments, revision and digest, target health, lock, last events. */
import type { ServiceStatus } from '../../engine/api';
import {
  actions,
  button,
  context,
  fieldsSection,
  header,
  message,
  section,
  sanitise,
  type SlackBlock,
  type SlackMessage,
} from './blocks';
import { actorText, ageText, slackDate, digestPrefix, revisionOf } from './format';
import { countTargets } from './thread-details';
import { pipelineLines } from './promotion';
import { freezeLines } from './freeze';

export function statusView(status: ServiceStatus, now: number): SlackMessage {
  const s = status.state;
  const name = status.service.name;
  const counts = status.targetCounts ?? (status.targets ? countTargets(status.targets) : null);
  const targetText = counts
    ? Object.entries(counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    : 'not configured';
  const blocks: SlackBlock[] = [
    header(`${name} — ${status.revision}`),
    fieldsSection([
      `*Running/desired*\n${s.runningCount}/${s.desiredCount}${s.pendingCount ? ` (${s.pendingCount} pending)` : ''}`,
      `*Revision*\n\`${status.revision}\``,
      `*Digest*\n\`${digestPrefix(status.digest)}\``,
      `*Targets*\n${targetText}`,
      `*Status*\n${sanitise(s.status, 50)}`,
      `*Lock*\n${status.lock ? `${status.lock.action} by ${actorText(status.lock.actor)} (since ${slackDate(status.lock.acquiredAt, '{time}')}, ${ageText(status.lock.acquiredAt, now)})` : 'free'}`,
    ]),
  ];
  if (status.freezes.length)
    blocks.push(
      section(
        `*Frozen: deploys are refused* (rollbacks, stops and restarts go through)\n${freezeLines(status.freezes)}`,
      ),
    );
  const deployments = s.deployments
    .slice(0, 8)
    .map(
      (d) =>
        `• ${d.status} \`${revisionOf(d.taskDefinition)}\` ${d.runningCount}/${d.desiredCount}${d.rolloutState ? ` ${d.rolloutState}` : ''}${d.failedTasks ? `, ${d.failedTasks} failed` : ''}`,
    );
  blocks.push(section(`*Deployments*\n${deployments.join('\n') || 'none'}`));
  if (status.pipeline) blocks.push(section(`*Pipeline*\n${pipelineLines(status.pipeline).join('\n')}`));
  if (status.lastDeploy) {
    const d = status.lastDeploy;
    blocks.push(
      context([
        `Last change: ${d.kind} ${d.sha ? d.sha.slice(0, 7) : ''} ${d.outcome} by ${actorText(d.actor)}, ${slackDate(d.startedAt)}`,
      ]),
    );
  }
  if (status.pendingApprovals.length) {
    blocks.push(
      context([
        `Pending approval: ${status.pendingApprovals.map((a) => `${a.action} by ${actorText(a.requester)}`).join(', ')}`,
      ]),
    );
  }
  const events = s.events
    .slice(0, 5)
    .map((e) => `• ${slackDate(e.createdAt)}: ${sanitise(e.message.replace(/\s+/g, ' '), 250)}`);
  if (events.length) blocks.push(section(`*Recent events*\n${events.join('\n')}`));
  if (status.warnings.length)
    blocks.push(context(status.warnings.slice(0, 3).map((w) => `:warning: ${sanitise(w, 300)}`)));
  if (s.desiredCount === 0 && status.keptCount) blocks.push(restartActions(name, status.keptCount));
  return message(`${name}: ${s.runningCount}/${s.desiredCount} on ${status.revision}`, blocks);
}

/** The Restart button shown on a stopped service. */
export function restartActions(service: string, keptCount: number | null): SlackBlock {
  return actions(`restart:${service}`, [
    button({
      text: keptCount ? `Restart (${keptCount} tasks)` : 'Restart',
      actionId: 'restart',
      value: service,
      style: 'primary',
      confirm: {
        title: `Restart ${service}?`,
        text: keptCount
          ? `Set ${service}'s desired count back to ${keptCount}.`
          : `Restore ${service}'s desired count.`,
        confirm: 'Restart',
      },
    }),
  ]);
}
