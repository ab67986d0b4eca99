/**
 * Engine events and results as terminal lines. Pure functions: the writer lives in
 * terminal-reporter.ts, so these can be tested without a terminal.
 */
import { formatDuration } from '../config/duration';
import {
  approverOfResult,
  ExitCode,
  type ChangeResult,
  type EngineEvent,
  type LogFindings,
  type PhaseName,
  type PhaseResult,
} from '../engine/model';
import type { ServiceEvent, TargetHealth } from '../engine/types';
import { PHASE_TITLES } from '../engine/release-ref';
import { shortDigest, shortTaskDefinition } from '../engine/validate';
import { unrecordedAdvice } from './change-result';
import { alignTable, createStyle, elapsedMs, formatClock, oneLine, shortSha, type Style } from './format-common';
import { lockHeldAdvice } from './lock-advice';

type ProgressEvent = Extract<EngineEvent, { type: 'progress' }>;
type PlanEvent = Extract<EngineEvent, { type: 'plan' }>;

export function phaseTitle(phase: PhaseName): string {
  return PHASE_TITLES[phase].short;
}

const PLAIN = createStyle(false);

/** `▸ rollout …` */
export function formatPhaseStarted(phase: PhaseName, style: Style = PLAIN): string {
  return `${style.dim('▸')} ${phaseTitle(phase)} …`;
}

/** `✓ rollout  1m02s  reached steady state`, with ✗ for failed and – for skipped. */
export function formatPhaseFinished(result: PhaseResult, ms: number, style: Style = PLAIN): string {
  const mark = result.status === 'ok' ? style.green('✓') : result.status === 'failed' ? style.red('✗') : style.dim('–');
  const time = result.status === 'skipped' ? '' : `  ${formatDuration(ms)}`;
  const detail = result.detail
    ? `  ${result.status === 'skipped' ? style.dim(oneLine(result.detail)) : oneLine(result.detail)}`
    : '';
  return `${mark} ${phaseTitle(result.name)}${time}${detail}`;
}

/** `running 1/2 (pending 1) IN_PROGRESS  family:43` */
export function formatProgress(event: ProgressEvent): string {
  const state = event.rolloutState ?? '-';
  return `running ${event.running}/${event.desired} (pending ${event.pending}) ${state}  ${shortTaskDefinition(event.taskDefinition)}`;
}

/** What makes two progress events look the same off a TTY (where only changes are printed). */
export function progressKey(event: ProgressEvent): string {
  return [event.phase, event.taskDefinition, event.running, event.desired, event.pending, event.rolloutState].join('|');
}

/** `  14:05:09  (service x) has reached a steady state.` */
export function formatServiceEvent(event: ServiceEvent, style: Style = PLAIN): string {
  return `  ${style.dim(formatClock(event.createdAt))}  ${oneLine(event.message, 300)}`;
}

/** `targets: 2 healthy, 1 draining`, then one line per target that is not healthy. */
export function formatTargets(targets: TargetHealth[], style: Style = PLAIN): string[] {
  if (targets.length === 0) return ['targets: none registered'];
  const counts = new Map<string, number>();
  for (const t of targets) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  const summary = [...counts]
    .map(([state, n]) => `${n} ${state === 'healthy' ? style.green(state) : state}`)
    .join(', ');
  const lines = [`targets: ${summary}`];
  for (const t of targets.filter((x) => x.state !== 'healthy')) {
    const where = t.port ? `${t.id}:${t.port}` : t.id;
    const why = [t.reason, t.description].filter(Boolean).join(' ');
    lines.push(`  ${where}  ${style.yellow(t.state)}${why ? `  ${oneLine(why, 160)}` : ''}`);
  }
  return lines;
}

/** `logs: 3 lines matching "ERROR"` and a sample. */
export function formatLogFindings(findings: LogFindings, style: Style = PLAIN): string[] {
  const more = findings.truncated ? ' (or more: the scan stopped at its bound)' : '';
  const head = `logs: ${findings.count} line${findings.count === 1 ? '' : 's'} matching ${JSON.stringify(findings.pattern)}${more}`;
  const lines = [findings.count > 0 ? style.yellow(head) : head];
  for (const line of findings.sample.slice(0, 10)) {
    lines.push(`  ${style.dim(formatClock(line.timestamp))}  ${oneLine(line.message, 160)}`);
  }
  return lines;
}

/** The banner shown when the automatic rollback begins. */
export function formatRollbackBanner(reason: string, toTaskDefinition: string, style: Style = PLAIN): string[] {
  const rule = '━'.repeat(60);
  return [
    style.red(rule),
    style.red(style.bold(`ROLLING BACK to ${shortTaskDefinition(toTaskDefinition)}`)),
    `reason: ${oneLine(reason, 300)}`,
    style.red(rule),
  ];
}

/** The plan event: what will be deployed. */
export function formatPlanEvent(event: PlanEvent): string[] {
  return [
    `image:  ${event.image}`,
    `digest: ${event.digest}`,
    `revision: ${shortTaskDefinition(event.fromTaskDefinition)} → ${event.toTaskDefinition ? shortTaskDefinition(event.toTaskDefinition) : '(new)'}`,
  ];
}

const KIND_TITLES: Record<ChangeResult['kind'], string> = {
  deploy: 'Deploy',
  rollback: 'Rollback',
  stop: 'Stop',
  restart: 'Restart',
};

function headline(result: ChangeResult, style: Style): string {
  const what = KIND_TITLES[result.kind];
  switch (result.outcome) {
    case 'succeeded':
      if (result.exitCode === ExitCode.unrecorded)
        return style.yellow(style.bold(`✓ ${what} succeeded, but its outcome could not be recorded`));
      return style.green(style.bold(`✓ ${what} succeeded`));
    case 'rolled_back':
      return style.yellow(style.bold(`↺ ${what} failed; the previous release was restored and verified`));
    case 'rollback_failed':
      return style.red(style.bold(`✗ ${what} failed and the service is NOT healthy: a person must look`));
    case 'refused':
      return style.yellow(style.bold(`✗ ${what} refused; nothing was changed`));
    case 'invalid':
      return style.yellow(
        style.bold(`✗ ${what} not done: bad input, configuration or AWS access; nothing was changed`),
      );
    case 'interrupted':
      return style.red(style.bold(`✗ ${what} interrupted: check the service`));
    case 'failed':
    case 'running':
      return style.bold(`${what}: ${result.outcome}`);
  }
}

/** Per-phase timings as aligned rows. */
export function formatPhaseTable(phases: PhaseResult[], style: Style = PLAIN): string[] {
  const rows = phases.map((p) => {
    const ms = elapsedMs(p.startedAt, p.finishedAt);
    const status =
      p.status === 'ok' ? style.green('ok') : p.status === 'failed' ? style.red('failed') : style.dim('skipped');
    return [
      `  ${phaseTitle(p.name)}`,
      status,
      ms === null || p.status === 'skipped' ? '' : formatDuration(ms),
      oneLine(p.detail, 120),
    ];
  });
  return alignTable(rows);
}

/** The closing block: outcome, what runs now, what failed, phase timings and the report. */
export function formatSummary(result: ChangeResult, style: Style = PLAIN): string[] {
  const total = elapsedMs(result.startedAt, result.finishedAt);
  const lines = ['', headline(result, style)];
  if (result.summary) lines.push(oneLine(result.summary, 600));
  const lockAdvice = lockHeldAdvice(result);
  if (lockAdvice) lines.push(lockAdvice);
  const facts: string[][] = [
    ['service', result.service],
    ['outcome', `${result.outcome} (exit ${result.exitCode})`],
  ];
  if (result.actor) facts.push(['requested by', result.actor.name]);
  const approver = approverOfResult(result);
  if (approver) facts.push(['approved by', approver.name]);
  if (result.sha) facts.push(['sha', shortSha(result.sha)]);
  if (result.digest) facts.push(['digest', shortDigest(result.digest)]);
  if (result.fromTaskDefinition || result.toTaskDefinition) {
    facts.push([
      'revision',
      `${shortTaskDefinition(result.fromTaskDefinition)} → ${shortTaskDefinition(result.toTaskDefinition)}`,
    ]);
  }
  facts.push(['running now', result.finalTaskDefinition ? shortTaskDefinition(result.finalTaskDefinition) : 'unknown']);
  if (result.failure)
    facts.push(['failed', `${phaseTitle(result.failure.phase)}: ${oneLine(result.failure.reason, 300)}`]);
  else if (result.error) facts.push(['error', `${result.error.code}: ${oneLine(result.error.message, 600)}`]);
  if (total !== null) facts.push(['took', formatDuration(total)]);
  if (result.deployId) facts.push(['id', result.deployId]);
  lines.push(...alignTable(facts.map(([k, v]) => [`${k}:`, v])));
  if (result.phases.length) lines.push('phases:', ...formatPhaseTable(result.phases, style));
  if (result.reportPath) lines.push(`report: ${result.reportPath}`);
  const advice = unrecordedAdvice(result);
  if (advice) lines.push(style.yellow(advice));
  return lines;
}
