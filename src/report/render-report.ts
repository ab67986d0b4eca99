/**
 * The markdown deployment report: what changed, who asked, every phase, and the evidence
 * (targets, smoke tests, logs), then what failed and what the service runs now.
 * Pure and deterministic: all times come from the result (or the record).
 */
import { approverOfResult, type ChangeKind, type DeployRecord, type ChangeResult, type Outcome } from '../engine/model';
import type { Actor } from '../engine/types';
import { formatDuration } from '../config/duration';
import { between, formatTime } from './format';
import { shortTaskDefinition } from '../engine/validate';
import { changesSection } from './changes-section';
import { code, escapeText, table } from './markdown';
import { logsSection, phasesSection, smokeSection, smokeTally, targetCounts, targetsSection } from './sections';

const KIND_TITLE: Record<ChangeKind, string> = {
  deploy: 'Deploy',
  rollback: 'Rollback',
  stop: 'Stop',
  restart: 'Restart',
};

const OUTCOME_LABEL: Record<Outcome, string> = {
  succeeded: '✓ succeeded',
  rolled_back: '↩ failed, rolled back',
  rollback_failed: '✗ failed, rollback did not restore health',
  failed: '✗ failed',
  refused: '⛔ refused',
  invalid: '✗ invalid',
  interrupted: '⚠ interrupted',
  running: '… running',
};

/**
 * Renders the report for a finished (or interrupted) change. `record` adds what only the
 * deploys table knows: the image, the Slack thread and the process that ran it. Never throws.
 */
export function renderReport(result: ChangeResult, record?: DeployRecord): string {
  const sections = [
    titleSection(result),
    detailsSection(result, record),
    result.dryRun ? dryRunSection(result.dryRun) : null,
    changesSection(result.changes),
    phasesSection(result.phases),
    targetsSection(result.targets),
    smokeSection(result.smoke),
    logsSection(result.logs),
    outcomeSection(result),
    summarySection(result, record),
  ];
  return `${sections.filter((s): s is string => s !== null).join('\n\n')}\n`;
}

function titleSection(result: ChangeResult): string {
  const kind = KIND_TITLE[result.kind];
  const title = `# ${kind} of ${escapeText(result.service)}: ${OUTCOME_LABEL[result.outcome]}`;
  return result.summary ? `${title}\n\n> ${escapeText(result.summary)}` : title;
}

function describeActor(actor: Actor | null | undefined): string {
  if (!actor) return '–';
  return `${escapeText(actor.name)} (${code(actor.id)}, via ${escapeText(actor.via)})`;
}

function taskDefinitionPath(result: ChangeResult): string {
  const steps = [result.fromTaskDefinition, result.toTaskDefinition, result.finalTaskDefinition];
  return steps.map((arn) => (arn ? code(shortTaskDefinition(arn)) : '–')).join(' → ');
}

function detailsSection(result: ChangeResult, record?: DeployRecord): string {
  const startedAt = result.startedAt || record?.startedAt || null;
  const finishedAt = result.finishedAt ?? record?.finishedAt ?? null;
  const rows: [string, string][] = [
    ['Change', code(result.deployId ?? record?.id ?? '–')],
    ['Outcome', `${escapeText(result.outcome)} (exit ${result.exitCode})`],
    ['Requested by', describeActor(result.actor ?? record?.actor)],
    ['Started', formatTime(startedAt)],
    ['Finished', formatTime(finishedAt)],
    ['Duration', formatDuration(between(startedAt, finishedAt))],
    ['Git SHA', result.sha ? code(result.sha) : '–'],
    ['Image', record?.image ? code(record.image) : '–'],
    ['Image digest', result.digest ? code(result.digest) : '–'],
    ['Task definition (from → to → final)', taskDefinitionPath(result)],
  ];
  const approver = approverOfResult(result);
  if (approver) rows.splice(3, 0, ['Approved by', describeActor(approver)]);
  if (record?.slack) rows.push(['Slack thread', `${code(record.slack.channel)} ${code(record.slack.ts)}`]);
  if (record?.owner) rows.push(['Run by', code(record.owner)]);
  return `## Details\n\n${table(
    ['Field', 'Value'],
    rows.map(([k, v]) => [`**${k}**`, v]),
  )}`;
}

function dryRunSection(plan: NonNullable<ChangeResult['dryRun']>): string {
  const lines = [
    `Dry run: nothing was changed. The deploy would register ${code(shortTaskDefinition(plan.toTaskDefinition))} ` +
      `from ${code(shortTaskDefinition(plan.fromTaskDefinition))} with image ${code(plan.image)}.`,
  ];
  if (plan.diff.length > 0) lines.push(plan.diff.map((d) => `- ${escapeText(d, 300)}`).join('\n'));
  return `## Plan\n\n${lines.join('\n\n')}`;
}

/** Which release the final task definition is, in words. */
function describeRunningNow(result: ChangeResult): string {
  const final = result.finalTaskDefinition;
  if (!final) return 'The service’s final state could not be read: check it with `status`.';
  const name = code(shortTaskDefinition(final));
  if (final === result.toTaskDefinition && final !== result.fromTaskDefinition)
    return `The service runs ${name}, the new revision.`;
  if (final === result.fromTaskDefinition) return `The service runs ${name}, the revision it ran before this change.`;
  return `The service runs ${name}.`;
}

function outcomeSection(result: ChangeResult): string {
  const lines: string[] = [];
  if (result.failure) {
    lines.push(`**Failed in ${code(result.failure.phase)}:** ${escapeText(result.failure.reason)}`);
  }
  if (result.error && result.error.message !== result.failure?.reason) {
    lines.push(`**Error** ${code(result.error.code)}: ${escapeText(result.error.message)}`);
  }
  if (result.outcome === 'rolled_back')
    lines.push('The automatic rollback restored the previous release and verified it.');
  if (result.outcome === 'rollback_failed') {
    lines.push('**A person must look:** the rollback did not restore a healthy service.');
  }
  if (result.outcome === 'interrupted') lines.push('The process running this change stopped before it finished.');
  if (result.outcome === 'failed') lines.push('The change did not reach its end state; nothing was rolled back.');
  lines.push(describeRunningNow(result));
  return `## Outcome\n\n${lines.join('\n\n')}`;
}

function summarySection(result: ChangeResult, record?: DeployRecord): string {
  const count = (status: string) => result.phases.filter((p) => p.status === status).length;
  const healthy = result.targets.filter((t) => t.state === 'healthy').length;
  const finishedAt = result.finishedAt ?? record?.finishedAt ?? null;
  const items = [
    `Outcome: ${escapeText(result.outcome)} (exit ${result.exitCode}) after ${formatDuration(between(result.startedAt, finishedAt))}`,
    `Phases: ${count('ok')} ok, ${count('failed')} failed, ${count('skipped')} skipped`,
    result.targets.length > 0
      ? `Targets: ${healthy}/${result.targets.length} healthy (${targetCounts(result.targets)})`
      : 'Targets: not checked',
    result.smoke.length > 0 ? `Smoke tests: ${smokeTally(result.smoke)}` : 'Smoke tests: not run',
    result.logs
      ? `Log lines matching ${code(result.logs.pattern)}: ${result.logs.truncated ? 'at least ' : ''}${result.logs.count}`
      : 'Logs: not scanned',
  ];
  return `## Summary\n\n${items.map((i) => `- ${i}`).join('\n')}`;
}
