/**
 * What a deploy ships, end to end: the CLI (a child process) deploys on the simulator, whose fake
 * GitHub holds the images' commits, and posts its thread to a fake Slack. The changes show in
 * Slack, in --json and in the dry run; a GitHub that is down never stops the deploy.
 */
import { FakeSlack } from '../slack/helpers/fake-slack';
import { messageText } from '../slack/helpers/harness';
import { jsonOf, startE2eWorld, type E2eWorld } from './helpers';

describe('the changes a deploy ships, on the simulator', () => {
  let e: E2eWorld;
  let slack: FakeSlack;
  const image = (i: number) => e.world.images[i];

  /** Everything the deploy's parent message said, over its posts and updates. */
  const parentTexts = () =>
    [...slack.of('chat.postMessage').filter((c) => !c.body.thread_ts), ...slack.of('chat.update')]
      .map((c) => messageText(c.body))
      .join('\n');

  const deploy = (tag: string, env: Record<string, string> = {}) =>
    e.start(['deploy', 'backend', tag, '--json', '--notify-slack', 'C0DEPLOYS'], {
      env: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: slack.apiUrl, ...env },
    }).done;

  beforeAll(async () => {
    slack = await FakeSlack.start();
    e = await startE2eWorld();
  });
  afterAll(async () => {
    await e.close();
    await slack.close();
  });
  beforeEach(() => {
    slack.calls.length = 0;
  });

  it('deploy --dry-run lists the commits it would ship', async () => {
    const run = await e.cli(['deploy', 'backend', image(1).tag, '--dry-run']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('changes: ships 4 commits');
    expect(run.stdout).toContain('Add appointment reminders (#41)');
    expect(run.stdout).toContain(
      `compare: https://github.com/acme/demo-backend/compare/${image(0).tag}...${image(1).tag}`,
    );
  });

  it('a deploy shows its commits in the Slack parent message and in --json', async () => {
    // Act
    const run = await deploy(image(1).tag);

    // Assess
    expect(run.code).toBe(0);
    const changes = jsonOf(run).changes;
    expect(changes).toMatchObject({ status: 'ahead', aheadBy: 4, behindBy: 0, totalCommits: 4, unavailable: null });
    expect(changes.commits[0]).toEqual({ sha: image(1).sha, title: 'Release 2', author: 'alice', pr: null });
    expect(changes.commits.map((c: { pr: number | null }) => c.pr)).toEqual([null, 43, 42, 41]);
    expect(changes.compareUrl).toBe(`https://github.com/acme/demo-backend/compare/${image(0).tag}...${image(1).tag}`);
    const parent = parentTexts();
    expect(parent).toContain('*Ships 4 commits*');
    expect(parent).toContain('Compare on GitHub');
    expect(parent).toContain('This removes 4 commits.');
  });

  it('a hostile commit message reaches Slack escaped and inert', async () => {
    const run = await deploy(image(2).tag);

    expect(run.code).toBe(0);
    expect(jsonOf(run).changes).toMatchObject({ status: 'ahead', baseSha: image(1).tag, totalCommits: 3 });
    const parent = parentTexts();
    expect(parent).toContain('&lt;!channel&gt;');
    expect(parent).not.toMatch(/<!channel>|<https:\/\/evil|@here|<@U0ADMIN>|\u202E/);
  });

  it('GitHub down: the deploy goes on and says "changes unavailable"', async () => {
    const run = await deploy(image(1).tag, { GITHUB_API_URL: 'http://127.0.0.1:1' });

    expect(run.code).toBe(0);
    const result = jsonOf(run);
    expect(result.outcome).toBe('succeeded');
    expect(result.changes.status).toBe('unavailable');
    expect(result.changes.unavailable).toMatch(/^GitHub unreachable/);
    expect(run.stderr).toContain('changes: changes unavailable: GitHub unreachable');
    expect(parentTexts()).toContain(':warning: changes unavailable: GitHub unreachable');
  });
});
