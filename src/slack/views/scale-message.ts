/**
 * The fields of a stop's or restart's parent message: what it changes (desired count before →
 * after), what runs, why, and who asked (and approved). No commit, digest or revision: a scale
 * change has none of them.
 */
import { sanitise } from './blocks';
import type { DeployViewState } from './deploy-view-state';
import { actorText } from './format';

export function scaleFields(state: DeployViewState, status: string): string[] {
  const counts = desiredCounts(state);
  const running = state.progress?.running ?? counts.running;
  const fields = [
    `*Service*\n${state.service}`,
    requesterField(state),
    `*Desired count*\n${counts.before ?? '…'} → ${counts.after ?? '…'}`,
    `*Running*\n${running === null ? '—' : `${running} task${running === 1 ? '' : 's'}`}`,
  ];
  if (state.reason) fields.push(`*Reason*\n${sanitise(state.reason, 500)}`);
  fields.push(`*Status*\n${status}`);
  return fields;
}

interface Counts {
  before: number | null;
  after: number | null;
  running: number | null;
}

/** Read from the phases' details ("desired 2, running 2", "desired 2 → 0") and the summary. */
function desiredCounts(state: DeployViewState): Counts {
  const texts = [...state.phases.map((p) => p.detail ?? ''), state.summary ?? ''];
  const read = texts.map((t) => /desired (\d+), running (\d+)/.exec(t)).find(Boolean);
  const change = texts.map((t) => /desired (\d+) → (\d+)/.exec(t)).find(Boolean);
  const before = change ? Number(change[1]) : read ? Number(read[1]) : null;
  const after = change ? Number(change[2]) : state.kind === 'stop' ? 0 : (state.progress?.desired ?? null);
  return { before, after, running: read ? Number(read[2]) : null };
}

/** Who asked for the change and, where a second person had to, who approved it. */
export function requesterField(state: DeployViewState): string {
  return `*Requested by*\n${actorText(state.actor)}${state.approvedBy ? `\napproved by ${actorText(state.approvedBy)}` : ''}`;
}
