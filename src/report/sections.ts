/**
 * The evidence sections of a deployment report: phases, target health, smoke tests, log findings.
 * Each takes model values and returns markdown; untrusted text goes through markdown.ts.
 */
import type { LogFindings, PhaseResult, PhaseStatus } from '../engine/model';
import type { CheckStatus, SmokeResult, TargetHealth } from '../engine/types';
import { formatDuration } from '../config/duration';
import { between } from './format';
import { code, escapeText, fencedBlock, table } from './markdown';

export const MAX_TARGET_ROWS = 50;
export const MAX_LOG_SAMPLE = 10;
export const MAX_LOG_LINE = 300;

const PHASE_MARK: Record<PhaseStatus, string> = { ok: '✓', failed: '✗', skipped: '–' };

const SMOKE_MARK: Record<CheckStatus, string> = {
  pass: '✓ pass',
  warn: '⚠ warn',
  fail: '✗ fail',
  error: '✗ error',
  skipped: '– skipped',
};

export function phasesSection(phases: PhaseResult[]): string {
  if (phases.length === 0) return '## Phases\n\nNo phase ran.';
  const rows = phases.map((p) => [
    code(p.name),
    `${PHASE_MARK[p.status]} ${escapeText(p.status)}`,
    p.status === 'skipped' ? '–' : formatDuration(between(p.startedAt, p.finishedAt)),
    escapeText(p.detail),
  ]);
  return `## Phases\n\n${table(['Phase', 'Status', 'Duration', 'Detail'], rows)}`;
}

/** `healthy 2, draining 1`: most common state first, ties by name. */
export function targetCounts(targets: TargetHealth[]): string {
  const counts = new Map<string, number>();
  for (const t of targets) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([state, n]) => `${escapeText(state)} ${n}`)
    .join(', ');
}

export function targetsSection(targets: TargetHealth[]): string {
  if (targets.length === 0) return '## Target health\n\nNo load-balancer targets were checked.';
  const shown = targets.slice(0, MAX_TARGET_ROWS);
  const rows = shown.map((t) => [
    code(t.id),
    t.port === undefined ? '–' : String(t.port),
    escapeText(t.state),
    escapeText([t.reason, t.description].filter(Boolean).join(': ') || '–'),
  ]);
  const more = targets.length - shown.length;
  const parts = [
    '## Target health',
    `${targets.length} target${targets.length === 1 ? '' : 's'}: ${targetCounts(targets)}.`,
    table(['Target', 'Port', 'State', 'Reason'], rows),
  ];
  if (more > 0) parts.push(`…and ${more} more target${more === 1 ? '' : 's'} not shown.`);
  return parts.join('\n\n');
}

export function smokeSection(results: SmokeResult[]): string {
  if (results.length === 0) return '## Smoke tests\n\nSmoke tests did not run.';
  const rows = results.map((r) => [
    `${escapeText(r.title)} (${code(r.name)})`,
    escapeText(r.severity),
    SMOKE_MARK[r.status],
    r.status === 'skipped' ? '–' : formatDuration(r.ms),
    escapeText(r.reason || '–', 300),
  ]);
  return `## Smoke tests\n\n${smokeTally(results)}\n\n${table(['Check', 'Severity', 'Result', 'Time', 'Reason'], rows)}`;
}

/** `8 passed, 1 warned, 1 failed` (only the non-zero parts). */
export function smokeTally(results: SmokeResult[]): string {
  const n = (statuses: CheckStatus[]) => results.filter((r) => statuses.includes(r.status)).length;
  const parts: [number, string][] = [
    [n(['pass']), 'passed'],
    [n(['warn']), 'warned'],
    [n(['fail', 'error']), 'failed'],
    [n(['skipped']), 'skipped'],
  ];
  return parts
    .filter(([count]) => count > 0)
    .map(([count, word]) => `${count} ${word}`)
    .join(', ');
}

export function logsSection(findings: LogFindings | null): string {
  if (findings === null) return '## Log findings\n\nLogs were not scanned.';
  const pattern = code(findings.pattern);
  if (findings.count === 0) return `## Log findings\n\nNo lines matched ${pattern} since the change began.`;
  const atLeast = findings.truncated ? 'At least ' : '';
  const sample = findings.sample.slice(0, MAX_LOG_SAMPLE);
  const lines = [
    `${atLeast}${findings.count} line${findings.count === 1 ? '' : 's'} matched ${pattern} since the change began` +
      (findings.truncated ? ' (reading stopped at its bound).' : '.'),
  ];
  if (sample.length > 0) {
    lines.push(`Sample (${sample.length}):`);
    lines.push(
      fencedBlock(
        sample.map((s) => `${s.timestamp}  ${s.message}`),
        MAX_LOG_LINE,
      ),
    );
  }
  return `## Log findings\n\n${lines.join('\n\n')}`;
}
