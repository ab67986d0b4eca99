/**
 * The engine's ChangesPort over GitHub: the commits between the running SHA and the target,
 * read within a time cap, cached per SHA pair, and never a reason to stop a deploy.
 */
import { unavailableChanges, type ChangesPort, type DeployChanges } from '../engine/changes';
import type { Logger } from '../logger';
import { compareCommits, type Comparison } from './compare';
import { GitHubClient } from './github-client';
import { apiBaseFor, compareUrl, parseRepositoryUrl, type GitHubRepository } from './repository';

/** How long a deploy waits for its changes at most. */
export const CHANGES_TIMEOUT_MS = 2000;
/** Comparisons kept; a SHA pair's commits never change, so an entry never goes stale. */
const CACHE_ENTRIES = 200;

export interface GitHubChangesOptions {
  /** Reads GITHUB_API_URL and GITHUB_TOKEN. */
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** The cap on one lookup, all its calls together (default CHANGES_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Default: a client over undici's global dispatcher. */
  client?: GitHubClient;
}

export class GitHubChanges implements ChangesPort {
  private readonly client: GitHubClient;
  private readonly cache = new Map<string, Promise<DeployChanges>>();
  private readonly timeoutMs: number;

  constructor(private readonly options: GitHubChangesOptions) {
    this.client =
      options.client ??
      new GitHubClient({ token: options.env.GITHUB_TOKEN?.trim() || undefined, logger: options.logger });
    this.timeoutMs = options.timeoutMs ?? CHANGES_TIMEOUT_MS;
  }

  between(repositoryUrl: string, base: string, head: string, options: { signal?: AbortSignal } = {}) {
    const repo = parseRepositoryUrl(repositoryUrl);
    if (!repo)
      return Promise.resolve(unavailableChanges(head, 'repositoryUrl does not name a repository (OWNER/NAME)', base));
    const apiBase = apiBaseFor(repo, this.options.env);
    const key = `${apiBase} ${repo.owner}/${repo.name} ${base.toLowerCase()}...${head.toLowerCase()}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const lookup = this.lookup(apiBase, repo, base, head, options.signal);
    this.remember(key, lookup);
    return lookup;
  }

  /** Keeps answered comparisons only: a failure is asked again next time. */
  private remember(key: string, lookup: Promise<DeployChanges>): void {
    this.cache.set(key, lookup);
    void lookup.then((c) => {
      if (c.status === 'unavailable') this.cache.delete(key);
    });
    if (this.cache.size > CACHE_ENTRIES) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }

  private async lookup(
    apiBase: string,
    repo: GitHubRepository,
    base: string,
    head: string,
    outer?: AbortSignal,
  ): Promise<DeployChanges> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
    const link = compareUrl(repo, base, head);
    const forward = await compareCommits(this.client, apiBase, repo, { base, head }, signal);
    if (!forward.ok) return unavailableChanges(head, slowReason(forward.reason, timeout, this.timeoutMs), base, link);
    const c = forward.value;
    if (c.status !== 'behind') return changesOf(c, base, head, link, c.commits);
    // GitHub lists no commits for `behind`: the reverse comparison lists those the deploy takes away.
    const back = await compareCommits(this.client, apiBase, repo, { base: head, head: base }, signal);
    if (!back.ok) return unavailableChanges(head, slowReason(back.reason, timeout, this.timeoutMs), base, link);
    return changesOf({ ...c, totalCommits: back.value.totalCommits }, base, head, link, back.value.commits);
  }
}

function slowReason(reason: string, timeout: AbortSignal, ms: number): string {
  return timeout.aborted ? `GitHub did not answer within ${ms / 1000} s` : reason;
}

function changesOf(
  c: Comparison,
  base: string,
  head: string,
  link: string,
  listed: Comparison['commits'],
): DeployChanges {
  const adds = c.status === 'ahead' || c.status === 'diverged';
  const dates = adds ? listed.map((x) => x.date).filter((d): d is string => d !== null) : [];
  return {
    status: c.status,
    baseSha: base,
    headSha: head,
    aheadBy: c.aheadBy,
    behindBy: c.behindBy,
    totalCommits: c.status === 'identical' ? 0 : c.totalCommits,
    commits: [...listed].reverse().map(({ sha, title, author, pr }) => ({ sha, title, author, pr })),
    compareUrl: link,
    oldestCommitAt: dates.length ? dates.reduce((a, b) => (a < b ? a : b)) : null,
    unavailable: null,
  };
}

/** The ChangesPort of the process, from its environment. */
export function createGitHubChanges(options: GitHubChangesOptions): ChangesPort {
  return new GitHubChanges(options);
}
