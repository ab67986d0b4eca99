/** Small formatting helpers shared by the views. Pure. */
import { formatDuration } from '../../config/duration';
import type { Actor } from '../../engine/types';
import type { Outcome, PhaseStatus } from '../../engine/model';
import { isValidSha, PHASE_TITLES as PHASES } from '../../engine/release-ref';
import { shortSha as shortShaOf, shortTaskDefinition } from '../../engine/validate';

/** A git SHA as people read it (engine/validate's rule), `—` when absent. */
export function shortSha(sha: string | null | undefined): string {
  return shortShaOf(sha, '—');
}

/** `sha256:abcdef…` → its first 12 hex characters. */
export function digestPrefix(digest: string | null | undefined): string {
  if (!digest) return '—';
  const hex = digest.replace(/^sha256:/, '');
  return hex.slice(0, 12);
}

/** A task-definition ARN (or `family:rev`) → `family:rev`. */
export function revisionOf(taskDefinition: string | null | undefined): string {
  return shortTaskDefinition(taskDefinition, '—');
}

/** The short SHA, linked to its commit when a repository URL is configured. */
export function shaLink(sha: string | null | undefined, repositoryUrl?: string): string {
  if (!sha) return '—';
  const short = shortSha(sha);
  if (!repositoryUrl || !isValidSha(sha)) return `\`${short}\``;
  return `<${repositoryUrl.replace(/\/+$/, '')}/commit/${sha}|${short}>`;
}

/** `<@U123>` for Slack users, the name otherwise. */
export function actorText(actor: Actor | null | undefined): string {
  if (!actor) return 'someone';
  if (actor.via === 'slack' && /^[UW][A-Z0-9]+$/.test(actor.id)) return `<@${actor.id}>`;
  return actor.name.replace(/[<>&]/g, '');
}

/** "Requested by @ana · approved by @carol"; the approver only where there was one. */
export function peopleText(requester: Actor | null | undefined, approver: Actor | null | undefined): string {
  return `Requested by ${actorText(requester)}${approver ? ` · approved by ${actorText(approver)}` : ''}`;
}

/**
 * A time for people: a Slack date, shown in the reader's time zone ("Today at 14:05"), with a
 * readable UTC fallback for clients that cannot render it.
 */
export function slackDate(
  at: number | string | Date | null | undefined,
  format = '{date_short_pretty} {time}',
): string {
  const ms = at instanceof Date ? at.getTime() : typeof at === 'string' ? Date.parse(at) : at;
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const fallback = `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^${format}|${fallback}>`;
}

/** `3m12s ago`; `just now` under a second. */
export function ageText(iso: string | null | undefined, now: number): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return '—';
  const ms = Math.max(0, now - t);
  return ms < 1000 ? 'just now' : `${formatDuration(ms)} ago`;
}

export function elapsedText(fromIso: string | null | undefined, toMs: number): string {
  if (!fromIso) return '—';
  const t = Date.parse(fromIso);
  return Number.isFinite(t) ? formatDuration(Math.max(0, toMs - t)) : '—';
}

export type PhaseMark = PhaseStatus | 'running' | 'pending';

export function phaseMark(status: PhaseMark): string {
  switch (status) {
    case 'ok':
      return '✓';
    case 'failed':
      return '✗';
    case 'running':
      return '…';
    case 'skipped':
      return '–';
    case 'pending':
      return '○';
  }
}

export function outcomeText(outcome: Outcome): string {
  switch (outcome) {
    case 'succeeded':
      return ':white_check_mark: succeeded';
    case 'rolled_back':
      return ':leftwards_arrow_with_hook: failed and rolled back';
    case 'rollback_failed':
      return ':rotating_light: failed, and the rollback did not restore health — a person must look';
    case 'refused':
      return ':no_entry: refused';
    case 'invalid':
      return ':warning: invalid';
    case 'interrupted':
      return ':warning: interrupted';
    case 'failed':
      return ':x: failed';
    case 'running':
      return ':hourglass_flowing_sand: running';
  }
}

/** Human phase names for the checklist. */
export const PHASE_TITLES: Record<string, string> = Object.fromEntries(
  Object.entries(PHASES).map(([name, t]) => [name, t.heading]),
);
