/**
 * The Slack views that show what a deploy ships, fed the worst a repository can hold: 250 commits
 * of 3 kB messages that try to ping, link, format and reorder text. They stay within Block Kit's
 * limits and nothing in them pings or links but what the bot made.
 */
import type { DeployChanges } from '../../src/engine/changes';
import type { ApprovalRequest } from '../../src/engine/model';
import { approvalView } from '../../src/slack/views/approval';
import type { SlackBlock } from '../../src/slack/views/blocks';
import { deployMessageView, type DeployViewState } from '../../src/slack/views/deploy-message';

const REPO = 'https://github.com/acme/shop';
const HOSTILE =
  'Fix <!channel> <!here> @here @channel <@U0ADMIN> <https://evil.example|click here> https://evil.example *bold* _it_ ~s~ `code` \u202Eexe.txt\u202C (#12)\n';
const actor = { id: 'U1', name: 'ana', via: 'slack' as const };

function hostileChanges(n = 250): DeployChanges {
  return {
    status: 'ahead',
    baseSha: 'a'.repeat(40),
    headSha: 'b'.repeat(40),
    aheadBy: 312,
    behindBy: 0,
    totalCommits: 312,
    commits: Array.from({ length: n }, (_, i) => ({
      sha: i.toString(16).padStart(40, 'c'),
      title: HOSTILE.repeat(25).slice(0, 3000),
      author: `<!everyone> ${'m'.repeat(3000)}`,
      pr: 12,
    })),
    compareUrl: `${REPO}/compare/aaaaaaa...bbbbbbb`,
    oldestCommitAt: null,
    unavailable: null,
  };
}

/** Every text a Slack client shows from the blocks. */
function texts(blocks: SlackBlock[]): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(blocks);
  return out;
}

function expectWithinLimitsAndInert(blocks: SlackBlock[]): void {
  expect(blocks.length).toBeLessThanOrEqual(50);
  // Block Kit JSON, read loosely: the test checks every shape a block may take.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any block shape may come through
  for (const b of blocks as any[]) {
    if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    if (b.type === 'section' && b.text) expect(b.text.text.length).toBeGreaterThan(0);
    for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(2000);
    for (const btn of b.type === 'actions' ? b.elements : []) {
      if (btn.confirm) expect(btn.confirm.text.text.length).toBeLessThanOrEqual(300);
    }
  }
  const all = texts(blocks).join('\n');
  expect(all).not.toMatch(/<!(channel|here|everyone)|<@U0ADMIN>|<https:\/\/evil|https:\/\/evil|@(here|channel)\b/);
  expect(all).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  // The only links are the bot's own: commits, pull requests and the compare page of the repository.
  const links = [...all.matchAll(/<(https?:[^|>]*)/g)].map((m) => m[1]);
  for (const link of links) expect(link.startsWith(REPO)).toBe(true);
}

const state = (over: Partial<DeployViewState> = {}): DeployViewState => ({
  changeId: 'd-1',
  kind: 'deploy',
  service: 'backend',
  sha: 'b'.repeat(40),
  digest: `sha256:${'cd'.repeat(32)}`,
  fromTaskDefinition: 'arn:aws:ecs:us-east-1:1:task-definition/backend:41',
  toTaskDefinition: 'arn:aws:ecs:us-east-1:1:task-definition/backend:42',
  actor,
  startedAt: new Date(Date.now() - 75_000).toISOString(),
  finishedAt: null,
  phases: [],
  progress: null,
  outcome: 'running',
  summary: null,
  notes: [],
  repositoryUrl: REPO,
  changes: hostileChanges(),
  ...over,
});

describe('Slack views with changes', () => {
  it('the parent message lists the five newest commits, "and N more" and the compare link', () => {
    // Act
    const view = deployMessageView(state(), Date.now());

    // Assess
    const all = texts(view.blocks).join('\n');
    expect(all).toContain('*Ships 312 commits (showing 250 of 312)*');
    expect(all).toMatch(/…and 30\d more/);
    expect(all).toContain(`<${REPO}/compare/aaaaaaa...bbbbbbb|Compare on GitHub>`);
    expect(all).toContain(`<${REPO}/pull/12|#12>`);
    expectWithinLimitsAndInert(view.blocks);
  });

  it('the rollback button of a finished deploy says how many commits it removes, within 300 characters', () => {
    const view = deployMessageView(state({ outcome: 'succeeded', finishedAt: new Date().toISOString() }), Date.now());

    const buttons = view.blocks.flatMap((b) => (Array.isArray(b.elements) ? b.elements : [])) as {
      action_id?: string;
      confirm?: { text: { text: string } };
    }[];
    const rollback = buttons.find((e) => e.action_id === 'rollback');
    expect(rollback?.confirm?.text.text).toBe(
      'Return backend to backend:41, the release before this deploy. This removes 312 commits.',
    );
    expectWithinLimitsAndInert(view.blocks);
  });

  it('a deploy whose changes could not be read says why, and still renders', () => {
    const changes: DeployChanges = {
      ...hostileChanges(0),
      status: 'unavailable',
      unavailable: 'GitHub answered 502 <!channel>',
      totalCommits: 0,
    };

    const view = deployMessageView(state({ changes }), Date.now());

    expect(texts(view.blocks).join('\n')).toContain(
      ':warning: changes unavailable: GitHub answered 502 &lt;!channel&gt;',
    );
    expectWithinLimitsAndInert(view.blocks);
  });

  it('the approval prompt shows approvers the commits, and its Approve confirm states the count', () => {
    const request: ApprovalRequest = {
      id: 'a-1',
      service: 'backend',
      action: 'deploy',
      params: { sha: 'b'.repeat(40), changes: { ...hostileChanges(10) } },
      requester: actor,
      reason: 'release',
      impact: 'deploy bbbbbbbbbbbb to backend; ships 312 commits (showing 10 of 312)',
      createdAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
      status: 'pending',
      decidedBy: null,
      decidedAt: null,
      slack: null,
    };

    const view = approvalView(request);

    const all = texts(view.blocks).join('\n');
    expect(all).toContain('*Ships 312 commits (showing 10 of 312)*');
    expect(all).toContain(`<${REPO}/compare/aaaaaaa...bbbbbbb|Compare on GitHub>`);
    expectWithinLimitsAndInert(view.blocks);
  });
});
