/**
 * GitHub's compare API (`GET /repos/{owner}/{repo}/compare/{base}...{head}`), paged up to the
 * 250 commits it lists, with its answer checked and turned into plain commits.
 */
import type { ChangeCommit } from '../engine/changes';
import { sanitizeText } from '../smoke/sanitize';
import type { GitHubAnswer, GitHubClient } from './github-client';
import type { GitHubRepository } from './repository';

/** GitHub lists at most this many commits of a comparison. */
export const MAX_COMPARE_COMMITS = 250;
const PER_PAGE = 100;
const MAX_TITLE = 200;

export interface Comparison {
  status: 'ahead' | 'behind' | 'diverged' | 'identical';
  aheadBy: number;
  behindBy: number;
  totalCommits: number;
  /** Oldest first, as GitHub lists them; at most MAX_COMPARE_COMMITS. */
  commits: (ChangeCommit & { date: string | null })[];
}

interface RawCommit {
  sha?: unknown;
  commit?: { message?: unknown; author?: { name?: unknown; date?: unknown } | null } | null;
  author?: { login?: unknown } | null;
}

interface RawCompare {
  status?: unknown;
  ahead_by?: unknown;
  behind_by?: unknown;
  total_commits?: unknown;
  commits?: unknown;
}

const STATUSES = new Set(['ahead', 'behind', 'diverged', 'identical']);

/**
 * Compares `base...head`: the first page, then the pages up to 250 commits at once.
 * Never throws: a failure is `{ ok: false, reason }`.
 */
export async function compareCommits(
  client: GitHubClient,
  apiBase: string,
  repo: GitHubRepository,
  range: { base: string; head: string },
  signal: AbortSignal,
): Promise<GitHubAnswer<Comparison>> {
  const path = `/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/compare/${encodeURIComponent(range.base)}...${encodeURIComponent(range.head)}`;
  const page = (n: number) => client.getJson(apiBase, path, { per_page: String(PER_PAGE), page: String(n) }, signal);
  const first = await page(1);
  if (!first.ok) return first;
  const parsed = parseCompare(first.value);
  if (!parsed) return { ok: false, reason: 'GitHub sent a comparison this tool cannot read' };
  const listed = Math.min(parsed.totalCommits, MAX_COMPARE_COMMITS);
  if (parsed.commits.length < PER_PAGE || listed <= PER_PAGE) return { ok: true, value: parsed };
  const more = await Promise.all(Array.from({ length: Math.ceil(listed / PER_PAGE) - 1 }, (_, i) => page(i + 2)));
  const commits = [...parsed.commits];
  for (const answer of more) {
    if (!answer.ok) return answer;
    commits.push(...(parseCompare(answer.value)?.commits ?? []));
  }
  return { ok: true, value: { ...parsed, commits: commits.slice(0, MAX_COMPARE_COMMITS) } };
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

function parseCompare(value: unknown): Comparison | null {
  if (typeof value !== 'object' || value === null) return null;
  const raw = value as RawCompare;
  const aheadBy = count(raw.ahead_by);
  const behindBy = count(raw.behind_by);
  if (typeof raw.status !== 'string' || !STATUSES.has(raw.status) || aheadBy === null || behindBy === null) return null;
  const list = Array.isArray(raw.commits) ? (raw.commits as unknown[]) : [];
  const commits = list.map(toCommit).filter((c): c is NonNullable<typeof c> => c !== null);
  return {
    status: raw.status as Comparison['status'],
    aheadBy,
    behindBy,
    totalCommits: count(raw.total_commits) ?? aheadBy,
    commits,
  };
}

function toCommit(value: unknown): (ChangeCommit & { date: string | null }) | null {
  if (typeof value !== 'object' || value === null) return null;
  const raw = value as RawCommit;
  if (typeof raw.sha !== 'string' || !/^[0-9a-f]{7,64}$/i.test(raw.sha)) return null;
  const message = typeof raw.commit?.message === 'string' ? raw.commit.message : '';
  const firstLine = message.split(/\r?\n/, 1)[0] ?? '';
  const login = raw.author?.login;
  const name = raw.commit?.author?.name;
  const date = raw.commit?.author?.date;
  const author = typeof login === 'string' ? login : typeof name === 'string' ? name : null;
  return {
    sha: raw.sha.toLowerCase(),
    title: sanitizeText(firstLine, MAX_TITLE),
    author: author === null ? null : sanitizeText(author, 60) || null,
    pr: pullRequestOf(firstLine),
    date: typeof date === 'string' && Number.isFinite(Date.parse(date)) ? new Date(date).toISOString() : null,
  };
}

/** `Fix login (#123)` (a squash merge) or `Merge pull request #123 from …` → 123. */
export function pullRequestOf(title: string): number | null {
  const match = /\(#(\d{1,9})\)\s*$/.exec(title) ?? /^Merge pull request #(\d{1,9})\b/.exec(title);
  return match ? Number(match[1]) : null;
}
