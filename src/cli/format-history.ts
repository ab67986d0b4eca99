/** `history` as an aligned table. Pure. */
import { formatDuration } from '../config/duration';
import type { DeployRecord } from '../engine/model';
import { shortTaskDefinition } from '../engine/validate';
import { alignTable, createStyle, elapsedMs, formatTimestamp, shortSha, type Style } from './format-common';

const PLAIN = createStyle(false);

function colourOutcome(outcome: string, style: Style): string {
  if (outcome === 'succeeded') return style.green(outcome);
  if (outcome === 'rolled_back' || outcome === 'refused' || outcome === 'invalid') return style.yellow(outcome);
  if (outcome === 'running') return outcome;
  return style.red(outcome);
}

export function formatHistory(records: DeployRecord[], style: Style = PLAIN): string[] {
  if (records.length === 0) return ['no changes recorded yet'];
  const header = ['STARTED', 'SERVICE', 'KIND', 'SHA', 'OUTCOME', 'BY', 'TOOK', 'REVISION', 'ID'].map((h) =>
    style.dim(h),
  );
  const rows = records.map((r) => {
    const ms = elapsedMs(r.startedAt, r.finishedAt);
    const revision =
      r.toTaskDefinition || r.fromTaskDefinition
        ? `${shortTaskDefinition(r.fromTaskDefinition)} → ${shortTaskDefinition(r.toTaskDefinition)}`
        : '-';
    return [
      formatTimestamp(r.startedAt),
      r.service,
      r.kind,
      shortSha(r.sha),
      colourOutcome(r.outcome, style),
      r.actor.name,
      ms === null ? '-' : formatDuration(ms),
      revision,
      r.id,
    ];
  });
  return alignTable([header, ...rows]);
}
