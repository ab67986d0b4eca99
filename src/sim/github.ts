/**
 * A fake GitHub for the simulator, tests and the demo: a repository's commit history (each commit
 * with its parent, so branches can diverge) behind the compare API, with the answers a real one
 * gives when things go wrong (401, 404, 5xx, rate limits, slowness) on request.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeServer, listen } from './listen';

export interface FakeCommit {
  sha: string;
  /** Null for the first commit. */
  parent: string | null;
  message: string;
  author: { login: string | null; name: string };
  date: string;
}

/** What the next answers look like instead of a comparison. */
export interface GitHubFault {
  status: number;
  headers?: Record<string, string>;
  /** Answer only after this long (a slow GitHub); with status 200 the comparison then comes. */
  delayMs?: number;
}

export interface FakeGitHub {
  url: string;
  server: Server;
  /** `OWNER/NAME` of the repository served. */
  repository: string;
  /** Every request: path, query and whether it carried a token. */
  requests: { path: string; query: Record<string, string>; authorization: string | undefined }[];
  /** Adds commits (each naming its parent). */
  add(commits: FakeCommit[]): void;
  /** Answers every request with `fault` until cleared with null. */
  setFault(fault: GitHubFault | null): void;
  close(): Promise<void>;
}

/** Without `page`, GitHub lists at most this many commits. */
const UNPAGED_LIMIT = 250;

export class FakeHistory {
  private readonly commits = new Map<string, FakeCommit>();

  add(commits: FakeCommit[]): void {
    for (const c of commits) this.commits.set(c.sha, c);
  }

  /** A full SHA from a prefix of 7 or more hex characters, when exactly one commit has it. */
  resolve(ref: string): FakeCommit | undefined {
    const lower = ref.toLowerCase();
    if (!/^[0-9a-f]{7,40}$/.test(lower)) return undefined;
    const found = [...this.commits.values()].filter((c) => c.sha.startsWith(lower));
    return found.length === 1 ? found[0] : undefined;
  }

  /** The commit and its ancestors, newest first. */
  private lineage(commit: FakeCommit): FakeCommit[] {
    const out: FakeCommit[] = [];
    let at: FakeCommit | undefined = commit;
    while (at && out.length <= this.commits.size) {
      out.push(at);
      at = at.parent ? this.commits.get(at.parent) : undefined;
    }
    return out;
  }

  /** GitHub's compare answer for `base...head`, or undefined when either is unknown (404). */
  compare(base: string, head: string): { body: Record<string, unknown>; commits: FakeCommit[] } | undefined {
    const b = this.resolve(base);
    const h = this.resolve(head);
    if (!b || !h) return undefined;
    const ofBase = new Set(this.lineage(b).map((c) => c.sha));
    const ofHead = new Set(this.lineage(h).map((c) => c.sha));
    const ahead = this.lineage(h)
      .filter((c) => !ofBase.has(c.sha))
      .reverse();
    const behindBy = [...ofBase].filter((sha) => !ofHead.has(sha)).length;
    const status =
      ahead.length === 0 && behindBy === 0
        ? 'identical'
        : behindBy === 0
          ? 'ahead'
          : ahead.length === 0
            ? 'behind'
            : 'diverged';
    const body = { status, ahead_by: ahead.length, behind_by: behindBy, total_commits: ahead.length };
    return { body, commits: ahead };
  }
}

function commitJson(c: FakeCommit): Record<string, unknown> {
  return {
    sha: c.sha,
    commit: { message: c.message, author: { name: c.author.name, email: 'dev@example.com', date: c.date } },
    author: c.author.login ? { login: c.author.login } : null,
  };
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-ratelimit-remaining': '4999', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * Starts a fake GitHub serving `OWNER/NAME`'s compare API on 127.0.0.1.
 * @throws Error when the port cannot be bound.
 */
export async function startFakeGitHub(repository: string, commits: FakeCommit[] = [], port = 0): Promise<FakeGitHub> {
  const history = new FakeHistory();
  history.add(commits);
  const requests: FakeGitHub['requests'] = [];
  let fault: GitHubFault | null = null;
  const compareRoute = new RegExp(`^/repos/${repository.replace(/[.]/g, '\\.')}/compare/([^/]+)\\.\\.\\.([^/]+)$`);
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query: Record<string, string | undefined> = Object.fromEntries(url.searchParams);
    requests.push({
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
    });
    const now = fault;
    if (now?.delayMs) await new Promise((r) => setTimeout(r, now.delayMs).unref());
    if (now && now.status !== 200) {
      answer(res, now.status, { message: 'fault' }, now.headers);
      return;
    }
    const route = compareRoute.exec(url.pathname);
    const found = route ? history.compare(decodeURIComponent(route[1]), decodeURIComponent(route[2])) : undefined;
    if (!found) {
      answer(res, 404, { message: 'Not Found' });
      return;
    }
    const perPage = Math.min(Number(query.per_page ?? 30) || 30, 100);
    const page = Math.max(Number(query.page ?? 1) || 1, 1);
    const listed = query.page
      ? found.commits.slice((page - 1) * perPage, page * perPage)
      : found.commits.slice(0, UNPAGED_LIMIT);
    answer(res, 200, { ...found.body, commits: listed.map(commitJson) }, now?.headers);
  };
  const { server, url } = await listen(handle, port);
  return {
    url,
    server,
    repository,
    requests,
    add: (more) => history.add(more),
    setFault: (f) => {
      fault = f;
    },
    close: () => closeServer(server),
  };
}
