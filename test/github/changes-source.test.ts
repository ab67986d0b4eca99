/**
 * The GitHub changes source against a fake GitHub over HTTP, reached through GITHUB_API_URL:
 * the four comparisons, paging past GitHub's 250-commit list, every failure a deploy must survive,
 * and commit text written to harm.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { GitHubChanges } from '../../src/github';
import { changesHeadline } from '../../src/engine/changes';
import { startFakeGitHub, type FakeCommit, type FakeGitHub } from '../../src/sim/github';
import { changesText } from '../../src/slack/views/changes';

const REPO = 'https://github.com/acme/shop';
const TOKEN = 'ghp_s3cretTOKENvalue0123456789';

/** A straight line of `n` commits after `parent`, oldest first, named `<prefix><i>` (hex). */
function line(prefix: string, n: number, parent: string | null): FakeCommit[] {
  const out: FakeCommit[] = [];
  for (let i = 0; i < n; i += 1) {
    const sha = `${prefix}${i.toString(16).padStart(4, '0')}`.padEnd(40, '7');
    out.push({
      sha,
      parent: out.at(-1)?.sha ?? parent,
      message: `Change ${i} (#${100 + i})\n\nbody`,
      author: { login: `dev${i}`, name: `Dev ${i}` },
      date: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(),
    });
  }
  return out;
}

describe('GitHubChanges over HTTP', () => {
  let gh: FakeGitHub;
  let logged: string;
  const main = line('aa', 10, null); // aa…0 (oldest) … aa…9
  const branch = line('bb', 3, main[5].sha); // off commit 5
  const long = line('cc', 312, main[9].sha);
  const sha = (c: FakeCommit) => c.sha;

  function source(env: Record<string, string> = {}, timeoutMs = 2000): GitHubChanges {
    logged = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logged += chunk.toString();
        done();
      },
    });
    return new GitHubChanges({
      env: { GITHUB_API_URL: gh.url, GITHUB_TOKEN: TOKEN, ...env },
      logger: pino({ level: 'debug' }, sink),
      timeoutMs,
    });
  }

  beforeAll(async () => {
    gh = await startFakeGitHub('acme/shop', [...main, ...branch, ...long]);
  });
  afterAll(async () => {
    await gh.close();
  });
  beforeEach(() => {
    gh.setFault(null);
    gh.requests.length = 0;
  });

  it('ahead: the commits the deploy ships, newest first, with authors, PRs, a compare link and the oldest date', async () => {
    // Act
    const c = await source().between(REPO, main[2].sha.slice(0, 7), main[5].sha.slice(0, 7));

    // Assess
    expect(c).toMatchObject({ status: 'ahead', aheadBy: 3, behindBy: 0, totalCommits: 3, unavailable: null });
    expect(c.commits.map((x) => x.sha)).toEqual([main[5], main[4], main[3]].map(sha));
    expect(c.commits[0]).toEqual({ sha: main[5].sha, title: 'Change 5 (#105)', author: 'dev5', pr: 105 });
    expect(c.compareUrl).toBe(`${REPO}/compare/${main[2].sha.slice(0, 7)}...${main[5].sha.slice(0, 7)}`);
    expect(c.oldestCommitAt).toBe(main[3].date);
    expect(changesHeadline(c)).toBe('ships 3 commits');
    expect(gh.requests[0].authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('behind: a deploy of an older SHA lists the commits it takes away ("rolls back 7 commits")', async () => {
    const c = await source().between(REPO, main[9].sha, main[2].sha);

    expect(c).toMatchObject({ status: 'behind', aheadBy: 0, behindBy: 7, totalCommits: 7, oldestCommitAt: null });
    expect(c.commits.map((x) => x.sha)).toEqual(main.slice(3, 10).reverse().map(sha));
    expect(changesHeadline(c)).toBe('rolls back 7 commits');
  });

  it('diverged: a SHA on neither side says so, with what it adds and what it takes away', async () => {
    const c = await source().between(REPO, main[8].sha, branch[2].sha);

    expect(c).toMatchObject({ status: 'diverged', aheadBy: 3, behindBy: 3, totalCommits: 3 });
    expect(c.commits.map((x) => x.sha)).toEqual([...branch].reverse().map(sha));
    expect(changesHeadline(c)).toMatch(/^diverged from the running release: ships 3 commits and takes away 3 commits/);
  });

  it('identical: nothing to ship', async () => {
    const c = await source().between(REPO, main[4].sha, main[4].sha.slice(0, 9));

    expect(c).toMatchObject({ status: 'identical', totalCommits: 0, commits: [] });
    expect(changesHeadline(c)).toMatch(/^no new commits/);
  });

  it('more than 250 commits: pages the list to GitHub’s 250 and says "showing 250 of 312"', async () => {
    const c = await source().between(REPO, main[9].sha, long[311].sha);

    expect(c).toMatchObject({ status: 'ahead', aheadBy: 312, totalCommits: 312 });
    expect(c.commits).toHaveLength(250);
    expect(new Set(c.commits.map((x) => x.sha)).size).toBe(250);
    expect(c.oldestCommitAt).toBe(long[0].date);
    expect(changesHeadline(c)).toBe('ships 312 commits (showing 250 of 312)');
    expect(gh.requests.map((r) => [r.query.per_page, r.query.page])).toEqual(
      expect.arrayContaining([
        ['100', '1'],
        ['100', '2'],
        ['100', '3'],
      ]),
    );
  });

  it('answers the same SHA pair from its cache', async () => {
    const s = source();
    await s.between(REPO, main[1].sha, main[3].sha);
    await s.between(REPO, main[1].sha, main[3].sha);

    expect(gh.requests).toHaveLength(1);
  });

  it.each([
    [401, /GitHub refused GITHUB_TOKEN \(401\)/],
    [404, /does not know the repository or a commit \(404\)/],
    [502, /GitHub answered 502/],
  ])('%s: the changes are unavailable, with the reason and without the token', async (status, reason) => {
    gh.setFault({ status });

    const c = await source().between(REPO, main[1].sha, main[3].sha);

    expect(c.status).toBe('unavailable');
    expect(c.unavailable).toMatch(reason);
    expect(changesHeadline(c)).toMatch(/^changes unavailable: /);
    expect(JSON.stringify(c) + logged).not.toContain(TOKEN);
  });

  it('a failure is asked again next time: only answers are cached', async () => {
    const s = source();
    gh.setFault({ status: 503 });
    await s.between(REPO, main[1].sha, main[3].sha);
    gh.setFault(null);

    const c = await s.between(REPO, main[1].sha, main[3].sha);

    expect(c.status).toBe('ahead');
  });

  it('a GitHub slower than the cap: unavailable within the cap', async () => {
    gh.setFault({ status: 200, delayMs: 3000 });

    const c = await source({}, 300).between(REPO, main[1].sha, main[3].sha);

    expect(c).toMatchObject({ status: 'unavailable', unavailable: 'GitHub did not answer within 0.3 s' });
  });

  it('an unreachable GitHub: unavailable, saying so', async () => {
    const closed = await startFakeGitHub('acme/shop');
    const url = closed.url;
    await closed.close();

    const c = await source({ GITHUB_API_URL: url }).between(REPO, main[1].sha, main[3].sha);

    expect(c.status).toBe('unavailable');
    expect(c.unavailable).toMatch(/^GitHub unreachable \(ECONNREFUSED\)/);
    expect(logged).not.toContain(TOKEN);
  });

  it('rate limited (quota spent): unavailable until the reset, and GitHub is not called meanwhile', async () => {
    const reset = Math.floor(Date.now() / 1000) + 600;
    gh.setFault({ status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) } });
    const s = source();

    const first = await s.between(REPO, main[1].sha, main[3].sha);
    gh.setFault(null);
    const second = await s.between(REPO, main[2].sha, main[4].sha);

    expect(first.unavailable).toMatch(/^GitHub rate limit reached; it resets at \d\d:\d\d UTC$/);
    expect(second.unavailable).toMatch(/^GitHub rate limit reached/);
    expect(gh.requests).toHaveLength(1);
  });

  it('rate limited (secondary limit with retry-after): no call until it has passed', async () => {
    gh.setFault({ status: 429, headers: { 'retry-after': '120' } });
    const s = source();

    await s.between(REPO, main[1].sha, main[3].sha);
    gh.setFault(null);
    const second = await s.between(REPO, main[1].sha, main[3].sha);

    expect(second.status).toBe('unavailable');
    expect(gh.requests).toHaveLength(1);
  });

  it('a repositoryUrl that names no repository: unavailable, without a call', async () => {
    const c = await source().between('https://github.com/acme', main[1].sha, main[3].sha);

    expect(c.unavailable).toMatch(/repositoryUrl does not name a repository/);
    expect(gh.requests).toHaveLength(0);
  });

  it('hostile commit text comes back as one plain line and renders inert in Slack', async () => {
    const hostile = {
      sha: 'dd'.padEnd(40, '1'),
      parent: main[9].sha,
      message: `Ship <!channel> @here <https://evil.example|click> *bold* \u202Eexe.txt\u202C ${'x'.repeat(3000)}\nsecond <@U0ADMIN>`,
      author: { login: null, name: '<!everyone> @channel' },
      date: '2026-11-02T00:00:00Z',
    };
    gh.add([hostile]);

    const c = await source().between(REPO, main[9].sha, hostile.sha);
    const text = changesText(c, { max: 5 });

    expect(c.commits[0].title).not.toMatch(/[\n\u202E\u202C]/);
    expect(c.commits[0].title.length).toBeLessThanOrEqual(200);
    expect(text).not.toMatch(/<!channel>|<!everyone>|<@U0ADMIN>|<https:\/\/evil|@here|@channel|https:\/\/evil/);
    expect(text).toContain('&lt;!channel&gt;');
    expect(text.length).toBeLessThanOrEqual(3000);
  });
});
