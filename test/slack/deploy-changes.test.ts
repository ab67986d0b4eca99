/**
 * The commits a deploy ships, through Bolt's real receiver and the real engine: the approver
 * reads them in the approval prompt, the parent message lists them, and the Roll back button
 * says how many it removes.
 */
import type { ChangesPort, DeployChanges } from '../../src/engine/changes';
import { createTestEngine, sha, TEST_CONFIG_YAML, type TestEngine } from '../fakes';
import { buttonsOf, messageText, startHarness, waitFor, type Harness } from './helpers/harness';

const CONFIG = TEST_CONFIG_YAML.replace('    repositoryUrl:', '    requireApproval: [deploy]\n    repositoryUrl:');

/** Two commits from whatever runs to the target; the second message tries to ping the channel. */
const changes: ChangesPort = {
  between: (repositoryUrl, base, head): Promise<DeployChanges> =>
    Promise.resolve({
      status: 'ahead',
      baseSha: base,
      headSha: head,
      aheadBy: 2,
      behindBy: 0,
      totalCommits: 2,
      commits: [
        { sha: head.padEnd(40, '0'), title: 'Add invoices export (#77)', author: 'ana', pr: 77 },
        { sha: 'e'.repeat(40), title: 'Fix <!channel> @here typo', author: 'bo', pr: null },
      ],
      compareUrl: `${repositoryUrl}/compare/${base}...${head}`,
      oldestCommitAt: '2026-11-24T08:00:00.000Z',
      unavailable: null,
    }),
};

describe('Slack: what a deploy ships', () => {
  let h: Harness;
  let te: TestEngine;

  beforeEach(async () => {
    te = createTestEngine({ configYaml: CONFIG, changes });
    h = await startHarness({ configYaml: CONFIG, engine: () => te.engine });
  });

  afterEach(async () => {
    await h.close();
    await te.store.close();
  });

  it('the approver sees the commits, the parent lists them and Roll back says it removes them', async () => {
    // Act: ask, then a second person approves.
    await h.command('/deploy', `backend ${sha(2).slice(0, 7)}`, 'U0DEPLOYER');
    const request = await waitFor(() => h.slack.of('chat.postMessage')[0], 5000, 'the approval request');
    const prompt = messageText(request.body);
    const approve = buttonsOf(request.body).find((b) => b.action_id === 'approve')!;
    await h.click({
      actionId: 'approve',
      value: approve.value,
      userId: 'U0LEAD',
      messageTs: request.ts,
      blockId: approve.block_id,
    });
    const done = await waitFor(
      () => h.slack.of('chat.update').find((u) => buttonsOf(u.body).some((b) => b.action_id === 'rollback')),
      10_000,
      'the finished parent message',
    );

    // Assess
    expect(prompt).toContain('*Ships 2 commits*');
    expect(prompt).toContain('Add invoices export');
    expect(prompt).toContain('<https://github.com/example/backend/pull/77|#77>');
    expect(prompt).toContain('Compare on GitHub');
    expect(prompt).toContain('ships 2 commits'); // the impact, and so the Approve confirmation
    expect(prompt).not.toMatch(/<!channel>|@here/);
    const parent = messageText(done.body);
    expect(parent).toContain('*Ships 2 commits*');
    expect(parent).toContain('&lt;!channel&gt;');
    const rollback = buttonsOf(done.body).find((b) => b.action_id === 'rollback') as {
      confirm: { text: { text: string } };
    };
    expect(rollback.confirm.text.text).toMatch(/This removes 2 commits\.$/);
  });
});
