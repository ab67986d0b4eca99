/**
 * What a deploy ships: the commits between the release a service runs and the one it is given,
 * as the engine keeps and shows them. The commits come through the ChangesPort (GitHub's compare
 * API in production); this module finds the running release's SHA and never lets a failure
 * stop a deploy.
 */
import type { NamedService } from '../config/schema';
import type { ChangeRun } from './change/change-run';
import type { EngineContext } from './context';
import { runningSha } from './queries';
import { shaMatches } from './release-ref';
import type { TaskDefinition } from './types';

export { runningSha };

/** How the target relates to the running release; `unavailable` when the commits could not be read. */
export type ChangesStatus = 'ahead' | 'behind' | 'diverged' | 'identical' | 'unavailable';

export interface ChangeCommit {
  /** The full SHA. */
  sha: string;
  /** The message's first line as plain text (control and bidi characters gone, cut): escape it for the medium. */
  title: string;
  /** The GitHub login, else the git author name. */
  author: string | null;
  /** The pull request the commit came from, read from its title (`(#123)`, `Merge pull request #123`). */
  pr: number | null;
}

/** The `changes` of a deploy (`--json`, reports, Slack). */
export interface DeployChanges {
  status: ChangesStatus;
  /** The running release's SHA (the compare's base), when known. */
  baseSha: string | null;
  /** The SHA being deployed. */
  headSha: string;
  aheadBy: number;
  behindBy: number;
  /** Commits on the listed side: added (ahead, diverged) or taken away (behind). */
  totalCommits: number;
  /** Newest first; at most 250 (GitHub's cap), so fewer than `totalCommits` when the range is longer. */
  commits: ChangeCommit[];
  /** The repository's compare page, built by us from `repositoryUrl`. */
  compareUrl: string | null;
  /** When the oldest added commit was written (lead time); null for a rollback or when unknown. */
  oldestCommitAt: string | null;
  /** Why the commits could not be read (`status: unavailable`), else null. */
  unavailable: string | null;
}

/** What the deploy record keeps of the changes (delivery metrics read it). */
export type ChangesSummary = Pick<
  DeployChanges,
  'status' | 'baseSha' | 'headSha' | 'aheadBy' | 'behindBy' | 'totalCommits' | 'oldestCommitAt'
>;

/** Reads the commits between two SHAs of a repository. */
export interface ChangesPort {
  /**
   * The changes from `base` (running) to `head` (target) in the repository at `repositoryUrl`.
   * Never throws and answers within its time cap (about 2 s): a failure is `status: unavailable`.
   */
  between(
    repositoryUrl: string,
    base: string,
    head: string,
    options?: { signal?: AbortSignal },
  ): Promise<DeployChanges>;
}

/** A value saying why the changes are not known. */
export function unavailableChanges(
  head: string,
  reason: string,
  base: string | null = null,
  compareUrl: string | null = null,
): DeployChanges {
  return {
    status: 'unavailable',
    baseSha: base,
    headSha: head,
    aheadBy: 0,
    behindBy: 0,
    totalCommits: 0,
    commits: [],
    compareUrl,
    oldestCommitAt: null,
    unavailable: reason,
  };
}

export function summarizeChanges(changes: DeployChanges): ChangesSummary {
  const { status, baseSha, headSha, aheadBy, behindBy, totalCommits, oldestCommitAt } = changes;
  return { status, baseSha, headSha, aheadBy, behindBy, totalCommits, oldestCommitAt };
}

/**
 * The changes a deploy of `headSha` makes to `svc`, which runs `current`: from the running
 * release's SHA (see runningSha). Null when the service names no repository (nothing to show).
 * Never throws: a failure is `status: unavailable`.
 */
export async function lookupChanges(
  ctx: EngineContext,
  svc: NamedService,
  current: TaskDefinition,
  headSha: string,
): Promise<DeployChanges | null> {
  if (!svc.repositoryUrl || !ctx.changes) return null;
  const lookup = async (): Promise<DeployChanges | null> => {
    const base = await runningSha(ctx, svc, current);
    if (!base) return unavailableChanges(headSha, 'the running release’s git SHA is unknown');
    return changesBetween(ctx, svc, base, headSha);
  };
  return guarded(ctx, svc, headSha, lookup());
}

/**
 * The changes from `base` to `head` in `svc`'s repository (for example production's SHA to
 * staging's). Null when the service names no repository. Never throws; answers within the cap.
 */
export async function changesBetween(
  ctx: EngineContext,
  svc: NamedService,
  base: string,
  head: string,
): Promise<DeployChanges | null> {
  const port = ctx.changes;
  const repositoryUrl = svc.repositoryUrl;
  if (!repositoryUrl || !port) return null;
  if (shaMatches(base, head)) return { ...unavailableChanges(head, '', base), status: 'identical', unavailable: null };
  return guarded(ctx, svc, head, port.between(repositoryUrl, base, head));
}

/** A lookup within the cap, whose failure (the port promises none) still lets the change go on. */
async function guarded(
  ctx: EngineContext,
  svc: NamedService,
  head: string,
  lookup: Promise<DeployChanges | null>,
): Promise<DeployChanges | null> {
  try {
    return await withinCap(lookup, head);
  } catch (e) {
    ctx.logger.warn({ err: e, service: svc.name }, 'reading the changes failed');
    return unavailableChanges(head, 'the changes could not be read');
  }
}

/** Tells the front ends what the change ships (a `changes` event) and keeps its summary on the record. */
export async function announceChanges(
  run: ChangeRun,
  lookup: Promise<DeployChanges | null>,
): Promise<DeployChanges | null> {
  const changes = await lookup;
  if (!changes) return null;
  run.emit({ type: 'changes', changes });
  await run.save({ changesSummary: summarizeChanges(changes) });
  return changes;
}

/** The whole lookup (the running SHA, then GitHub) may take this long; the port caps its own calls at about 2 s. */
const LOOKUP_CAP_MS = 3000;

/**
 * A wall-clock safety net (not the engine's Clock: a test clock jumps, and this bounds real waiting):
 * a lookup that outlasts it counts as unavailable.
 */
async function withinCap(lookup: Promise<DeployChanges | null>, headSha: string): Promise<DeployChanges | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<DeployChanges | null>((resolve) => {
    timer = setTimeout(() => {
      resolve(unavailableChanges(headSha, `the changes took longer than ${LOOKUP_CAP_MS / 1000} s to read`));
    }, LOOKUP_CAP_MS);
    timer.unref();
  });
  try {
    return await Promise.race([lookup, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Commits kept on an approval request: enough for the prompt, small enough for any store item. */
const APPROVAL_COMMITS = 10;

/** The changes as an approval request keeps them (in its `params.changes`). */
export function forApproval(changes: DeployChanges): DeployChanges {
  return { ...changes, commits: changes.commits.slice(0, APPROVAL_COMMITS) };
}

/** The changes kept on an approval request, or null when it has none (other actions, older requests). */
export function changesOfApproval(params: Record<string, unknown>): DeployChanges | null {
  const value = params.changes;
  if (typeof value !== 'object' || value === null) return null;
  const c = value as Partial<DeployChanges>;
  return typeof c.status === 'string' && Array.isArray(c.commits) && typeof c.headSha === 'string'
    ? (c as DeployChanges)
    : null;
}

const commits = (n: number) => `${n} commit${n === 1 ? '' : 's'}`;

/** What the changes amount to, in a few words: "ships 12 commits", "rolls back 7 commits", … Plain text. */
export function changesHeadline(changes: DeployChanges): string {
  const shown = changes.commits.length;
  const partial = shown < changes.totalCommits ? ` (showing ${shown} of ${changes.totalCommits})` : '';
  switch (changes.status) {
    case 'ahead':
      return `ships ${commits(changes.aheadBy)}${partial}`;
    case 'behind':
      return `rolls back ${commits(changes.behindBy)}${partial}`;
    case 'diverged':
      return `diverged from the running release: ships ${commits(changes.aheadBy)} and takes away ${commits(changes.behindBy)}${partial}`;
    case 'identical':
      return 'no new commits: the running release is this commit';
    case 'unavailable':
      return `changes unavailable: ${changes.unavailable ?? 'unknown reason'}`;
  }
}

/** A commit title without the `(#123)` a squash merge ends with (the PR is shown apart). */
export function titleWithoutPr(commit: ChangeCommit): string {
  return commit.pr === null ? commit.title : commit.title.replace(/\s*\(#\d+\)\s*$/, '') || commit.title;
}

/** Whether a view shows the PR beside the title: always, except where the title opens with it (a merge commit). */
export function prShownApart(commit: ChangeCommit): commit is ChangeCommit & { pr: number } {
  return commit.pr !== null && !commit.title.startsWith(`Merge pull request #${commit.pr}`);
}

/** How many commits rolling back a deploy with these changes removes; null when it is not known. */
export function commitsRemovedByRollback(changes: DeployChanges | null | undefined): number | null {
  if (!changes || (changes.status !== 'ahead' && changes.status !== 'diverged')) return null;
  return changes.aheadBy;
}
