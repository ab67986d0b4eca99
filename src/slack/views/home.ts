/** The Home tab: every configured service at a glance. */
import type { DeliveryMetrics, ServiceStatus } from '../../engine/api';
import { context, divider, header, LIMITS, capBlocks, sanitise, section, type SlackBlock } from './blocks';
import { homeMetricsBlocks } from './delivery-metrics';
import { actorText, slackDate, digestPrefix, shortSha } from './format';
import { pipelineLines } from './promotion';
import { freezeLines } from './freeze';

export type HomeEntry = { service: string; status: ServiceStatus } | { service: string; error: string };

export interface HomeView {
  type: 'home';
  blocks: SlackBlock[];
}

/** The Home tab's delivery section: the measures, or why they could not be read. */
export type HomeDelivery = DeliveryMetrics | { error: string };

export function homeView(entries: HomeEntry[], now: number, delivery?: HomeDelivery): HomeView {
  const blocks: SlackBlock[] = [header('ECS services'), context([`Updated ${slackDate(now)}`])];
  for (const entry of entries) {
    blocks.push(
      divider(),
      section(
        'error' in entry ? `*${entry.service}*\n:warning: ${sanitise(entry.error, 300)}` : serviceLines(entry.status),
      ),
    );
  }
  if (!entries.length) blocks.push(section('No services configured.'));
  if (delivery)
    blocks.push(
      divider(),
      ...('error' in delivery
        ? [section(`*Delivery metrics*\n:warning: ${sanitise(delivery.error, 300)}`)]
        : homeMetricsBlocks(delivery)),
    );
  return { type: 'home', blocks: capBlocks(blocks, LIMITS.homeBlocks) };
}

function serviceLines(status: ServiceStatus): string {
  const s = status.state;
  const last = status.lastDeploy;
  // The last deploy's SHA is what runs only if that deploy went through and nothing replaced it.
  const sha =
    last?.kind === 'deploy' && last.outcome === 'succeeded' && last.finalTaskDefinition === s.taskDefinition
      ? last.sha
      : null;
  const lines = [
    `*${status.service.name}* — \`${shortSha(sha)}\` · \`${status.revision}\` · ${s.runningCount}/${s.desiredCount} running · digest \`${digestPrefix(status.digest)}\``,
    last
      ? `Last ${last.kind}: ${last.outcome.replace('_', ' ')} by ${actorText(last.actor)}, ${slackDate(last.finishedAt ?? last.startedAt)}`
      : 'No recorded deploys',
  ];
  if (status.freezes.length) lines.push(freezeLines(status.freezes));
  if (status.lock) lines.push(`:lock: ${status.lock.action} in progress by ${actorText(status.lock.actor)}`);
  for (const a of status.pendingApprovals.slice(0, 3))
    lines.push(`:raised_hand: ${a.action} awaiting approval (asked by ${actorText(a.requester)})`);
  if (s.desiredCount === 0) lines.push(':octagonal_sign: stopped');
  if (status.pipeline) lines.push(`*Pipeline*`, ...pipelineLines(status.pipeline));
  return lines.join('\n');
}
