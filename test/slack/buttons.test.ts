import { buttonsOf, messageText, startHarness, USERS, waitFor, type Harness } from './helpers/harness';
import type { JsonDoc } from '../json';

describe('Slack bot: rollback buttons', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });

  afterEach(async () => {
    await h.close();
  });

  /** Deploys and returns the parent's ts and its final blocks (with the Roll back button). */
  async function finishedDeploy(sha = 'abc1234', id = 'd-1'): Promise<{ ts: string; body: JsonDoc }> {
    const before = h.slack.of('chat.postMessage').length;
    await h.command('/deploy', `backend ${sha}`, USERS.deployer);
    await waitFor(async () => (await h.fake!.change(id))?.outcome === 'succeeded', 5000, 'the deploy');
    const ts = (
      await waitFor(
        () =>
          h.slack
            .of('chat.postMessage')
            .slice(before)
            .find((c) => !c.body.thread_ts),
        5000,
        'the parent',
      )
    ).ts!;
    const final = await waitFor(
      () =>
        h.slack
          .of('chat.update')
          .filter((u) => u.body.ts === ts)
          .find((u) => buttonsOf(u.body).some((b) => b.action_id === 'rollback')),
      5000,
      'the Roll back button',
    );
    return { ts, body: final.body };
  }

  it('Roll back returns the service to the release before the deploy, and says who did it', async () => {
    // Prepare
    const { ts, body } = await finishedDeploy();
    const button = buttonsOf(body).find((b) => b.action_id === 'rollback')!;
    expect(button.style).toBe('danger');
    expect(button.confirm).toBeDefined();
    // Act
    await h.click({
      actionId: 'rollback',
      value: button.value,
      userId: USERS.deployer,
      messageTs: ts,
      blockId: button.block_id,
      blocks: body.blocks,
    });
    await waitFor(async () => (await h.fake!.change('d-2'))?.outcome === 'succeeded', 5000, 'the rollback');
    // Assess
    expect(h.fake!.calls.find((c) => c.method === 'rollback')?.args).toMatchObject({
      service: 'backend',
      target: { kind: 'revision', revision: 'backend:41' },
      actor: { id: USERS.deployer },
    });
    const marked = await waitFor(
      () =>
        h.slack
          .of('chat.update')
          .find((u) => u.body.ts === ts && messageText(u.body).includes('started by <@UDEPLOYER>')),
      5000,
      'the marked message',
    );
    expect(buttonsOf(marked.body).some((b) => b.action_id === 'rollback')).toBe(false);
  });

  it('a second click on the same button does nothing harmful and says so', async () => {
    const { ts, body } = await finishedDeploy();
    const button = buttonsOf(body).find((b) => b.action_id === 'rollback')!;
    const click = () =>
      h.click({
        actionId: 'rollback',
        value: button.value,
        userId: USERS.deployer,
        messageTs: ts,
        blockId: button.block_id,
        blocks: body.blocks,
      });
    await Promise.all([click(), click()]);
    await waitFor(async () => (await h.fake!.change('d-2'))?.outcome === 'succeeded', 5000, 'the rollback');
    await click();
    await waitFor(() => h.slack.responses().length >= 2, 5000, 'two ephemeral answers');
    expect(h.fake!.calls.filter((c) => c.method === 'rollback')).toHaveLength(1);
    for (const r of h.slack.responses()) {
      expect(r.body.response_type).toBe('ephemeral');
      expect(r.body.text).toMatch(/Already on it|stale|busy/);
    }
  });

  it('refuses a click from someone without rollback rights, and nothing runs', async () => {
    const { ts, body } = await finishedDeploy();
    const button = buttonsOf(body).find((b) => b.action_id === 'rollback')!;
    await h.click({
      actionId: 'rollback',
      value: button.value,
      userId: USERS.nobody,
      messageTs: ts,
      blockId: button.block_id,
    });
    const answer = await waitFor(() => h.slack.responses()[0], 5000, 'the refusal');
    expect(answer.body.text).toMatch(/not allowed to rollback backend/);
    expect(h.fake!.calls.filter((c) => c.method === 'rollback')).toHaveLength(0);
  });

  it('"Roll back to this" in the picker rolls back to the chosen release', async () => {
    await finishedDeploy('abc1234', 'd-1');
    await finishedDeploy('def5678', 'd-2');
    await h.command('/rollback', 'backend', USERS.platform);
    const picker = await waitFor(
      () => h.slack.responses().find((r) => messageText(r.body).includes('rollback_to')),
      5000,
      'the picker',
    );
    const button = buttonsOf(picker.body).find((b) => b.action_id === 'rollback_to')!;
    await h.click({
      actionId: 'rollback_to',
      value: button.value,
      userId: USERS.platform,
      ephemeral: true,
      blockId: button.block_id,
    });
    await waitFor(async () => (await h.fake!.change('d-3'))?.outcome === 'succeeded', 5000, 'the rollback');
    expect(h.fake!.calls.find((c) => c.method === 'rollback')?.args.target).toEqual({
      kind: 'revision',
      revision: 'backend:42',
    });
    const replaced = h.slack.responses().find((r) => r.body.replace_original === true);
    expect(replaced?.body.text).toContain('started by <@UPLAT1>');
  });

  it('"Roll back to this" with a tampered value is refused', async () => {
    await h.click({
      actionId: 'rollback_to',
      value: JSON.stringify({ s: 'backend', d: 'd-999', t: 'x' }),
      userId: USERS.platform,
      ephemeral: true,
    });
    const answer = await waitFor(() => h.slack.responses()[0], 5000, 'the refusal');
    expect(answer.body.text).toMatch(/no longer available/);
    expect(h.fake!.calls).toEqual([]);
  });
});
