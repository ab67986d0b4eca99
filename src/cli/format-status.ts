/** `status` as text: revision, digest, counts, deployments, targets and recent events. Pure. */
import type { ServiceStatus } from '../engine/api';
import { formatPipeline } from './format-pipeline';
import { shortDigest, shortSha, shortTaskDefinition } from '../engine/validate';
import { describeFreeze } from '../engine/freeze/guard';
import { alignTable, createStyle, formatTimestamp, oneLine, type Style } from './format-common';

const PLAIN = createStyle(false);

/** Target health counts as `2 healthy, 1 draining`, healthy first. */
export function formatTargetCounts(counts: Record<string, number> | null): string {
  if (!counts) return 'not configured';
  const entries = Object.entries(counts).filter(([, n]) => n > 0);
  if (entries.length === 0) return 'no targets registered';
  entries.sort(([a], [b]) => (a === 'healthy' ? -1 : b === 'healthy' ? 1 : a.localeCompare(b)));
  return entries.map(([state, n]) => `${n} ${state}`).join(', ');
}

export function formatStatus(status: ServiceStatus, style: Style = PLAIN): string[] {
  const { state, service } = status;
  const lines: string[] = [
    style.bold(`${service.name}  (${state.serviceName} in ${state.cluster}, ${service.region})`),
  ];
  const facts: string[][] = [
    ['status', state.status],
    ['task definition', status.revision || shortTaskDefinition(state.taskDefinition)],
    ['image', status.image],
    ['digest', shortDigest(status.digest)],
    [
      'running/desired',
      `${state.runningCount}/${state.desiredCount}${state.pendingCount ? ` (pending ${state.pendingCount})` : ''}`,
    ],
    ['targets', formatTargetCounts(status.targetCounts)],
  ];
  if (status.keptCount !== null)
    facts.push(['kept count', `${status.keptCount} (restore with: restart ${service.name})`]);
  if (status.lock) {
    const l = status.lock;
    facts.push([
      'lock',
      `${l.action} by ${l.actor.name} since ${formatTimestamp(l.acquiredAt)} (change ${l.changeId}, ${l.owner})`,
    ]);
  }
  for (const f of status.freezes) facts.push(['frozen', `${describeFreeze(f)}: deploys are refused`]);
  if (status.pendingApprovals.length) facts.push(['approvals', `${status.pendingApprovals.length} pending`]);
  if (status.lastDeploy) {
    const d = status.lastDeploy;
    facts.push([
      'last change',
      `${d.kind} ${shortSha(d.sha, '')} ${d.outcome} by ${d.actor.name} at ${formatTimestamp(d.startedAt)}`.replace(
        /\s+/g,
        ' ',
      ),
    ]);
  }
  lines.push(...alignTable(facts.map(([k, v]) => [`${k}:`, v])));

  lines.push('deployments:');
  const deployments = state.deployments.map((d) => [
    `  ${d.status}`,
    shortTaskDefinition(d.taskDefinition),
    `${d.runningCount}/${d.desiredCount}`,
    d.pendingCount ? `pending ${d.pendingCount}` : '',
    d.rolloutState ?? '-',
    d.failedTasks ? style.red(`${d.failedTasks} failed`) : '',
    d.rolloutStateReason ? oneLine(d.rolloutStateReason, 100) : '',
  ]);
  lines.push(...(deployments.length ? alignTable(deployments) : ['  none']));
  if (status.pipeline) lines.push(...formatPipeline(status.pipeline, style));

  const events = state.events.slice(0, 5);
  lines.push('recent events:');
  lines.push(
    ...(events.length
      ? events.map((e) => `  ${style.dim(formatTimestamp(e.createdAt))}  ${oneLine(e.message, 200)}`)
      : ['  none']),
  );
  for (const w of status.warnings) lines.push(style.yellow(`warning: ${oneLine(w, 200)}`));
  return lines;
}
