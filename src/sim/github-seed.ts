/**
 * The demo repository's history: one straight line on which the seeded images' SHAs are commits,
 * with a few commits between them, one of them with a message hostile to Slack's mrkdwn.
 */
import type { FakeCommit } from './github';
import { fakeGitSha } from './ids';

/** The repository the simulated services name in `repositoryUrl`. */
export const DEMO_GITHUB_REPOSITORY = 'acme/demo-backend';
export const DEMO_REPOSITORY_URL = `https://github.com/${DEMO_GITHUB_REPOSITORY}`;

const HOUR = 3_600_000;

/** The commits between two releases: [message, login, name]. */
const BETWEEN: [string, string | null, string][][] = [
  [
    ['Add appointment reminders (#41)', 'alice', 'Alice Example'],
    ['Fix time zone of reminder emails (#42)', 'bob', 'Bob Example'],
    ['Merge pull request #43 from acme/retry-db\n\nRetry the database connection at start', 'carol', 'Carol Example'],
  ],
  [
    [
      // Hostile on purpose: a ping, a mention, a disguised link, mrkdwn, bidi overrides, a second line.
      'Ship it <!channel> @here <https://evil.example|click me> *bold* `code` \u202Egnp.exe\u202C (#44)\nsecond line <@U0ADMIN>',
      null,
      'mallory',
    ],
    ['Bump express to 4.21.2 (#45)', 'dependabot[bot]', 'dependabot[bot]'],
  ],
];

/**
 * The history for images given oldest first (each `{ sha, pushedAt }`): image 1 is the root, each
 * later image's commit follows the commits between.
 */
export function demoCommits(images: { sha: string; pushedAt: Date }[]): FakeCommit[] {
  const commits: FakeCommit[] = [];
  let parent: string | null = null;
  const add = (sha: string, message: string, login: string | null, name: string, at: number) => {
    commits.push({ sha, parent, message, author: { login, name }, date: new Date(at).toISOString() });
    parent = sha;
  };
  images.forEach((image, i) => {
    const at = image.pushedAt.getTime();
    const between = i === 0 ? [] : (BETWEEN[i - 1] ?? []);
    between.forEach(([message, login, name], j) =>
      add(fakeGitSha(`demo-backend change ${i}.${j}`), message, login, name, at - (between.length - j + 1) * HOUR),
    );
    add(image.sha, i === 0 ? 'Initial release' : `Release ${i + 1}`, 'alice', 'Alice Example', at - HOUR);
  });
  return commits;
}
