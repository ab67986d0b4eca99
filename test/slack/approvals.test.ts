import { buttonsOf, messageText, startHarness, USERS, waitFor, type Harness, CONFIG_YAML } from './helpers/harness';

describe('Slack bot: two-person approvals', () => {
  let h: Harness;

  afterEach(async () => {
    await h.close();
  });

  async function requestStop(): Promise<{ ts: string; id: string; blocks: unknown[] }> {
    await h.command('/emergency-stop', 'backend memory leak takes the DB down', USERS.lead1);
    const post = await waitFor(() => h.slack.of('chat.postMessage')[0], 5000, 'the approval request');
    const approve = buttonsOf(post.body).find((b) => b.action_id === 'approve')!;
    expect(approve.style).toBe('danger');
    expect(approve.confirm).toBeDefined();
    return { ts: post.ts!, id: approve.value, blocks: post.body.blocks };
  }

  const click = (actionId: 'approve' | 'deny' | 'restart', value: string, userId: string, ts: string) =>
    h.click({ actionId, value, userId, messageTs: ts, blockId: `approval:${value}` });
  const answers = () => h.slack.responses().filter((r) => String(r.body.__id).startsWith('click-'));
  const stops = () => h.fake!.calls.filter((c) => c.method === 'stop');

  it('the requester cannot approve; another approver can, once; the message shows who and what happened', async () => {
    h = await startHarness();
    const { ts, id } = await requestStop();
    // the requester (an approver too) clicks Approve
    await click('approve', id, USERS.lead1, ts);
    const refusal = await waitFor(() => answers()[0], 5000, 'the refusal');
    expect(refusal.body.text).toMatch(/You asked for this/);
    expect(refusal.body.response_type).toBe('ephemeral');
    // someone who is not an approver
    await click('approve', id, USERS.oncall, ts);
    await waitFor(() => answers().length === 2, 5000, 'the second refusal');
    expect(answers()[1].body.text).toMatch(/not allowed to approve backend/);
    expect(stops()).toHaveLength(0);
    // a second approver
    await click('approve', id, USERS.lead2, ts);
    await waitFor(() => h.fake!.desired('backend') === 0, 5000, 'the stop');
    expect(stops()[0].args).toMatchObject({
      service: 'backend',
      approvalId: id,
      reason: 'memory leak takes the DB down',
      actor: { id: USERS.lead1 },
    });
    const done = await waitFor(
      () =>
        h.slack
          .of('chat.update')
          .find((u) => u.body.ts === ts && messageText(u.body).includes('stopped: desired 2 → 0')),
      5000,
      'the outcome',
    );
    expect(messageText(done.body)).toContain('Approved by <@ULEAD2>');
    expect(buttonsOf(done.body).map((b) => b.action_id)).toEqual(['restart']);
    // a double click
    await click('approve', id, USERS.lead2, ts);
    await waitFor(() => answers().length === 3, 5000, 'the double-click answer');
    expect(answers()[2].body.text).toMatch(/Already used by <@ULEAD2>/);
    expect(stops()).toHaveLength(1);
  });

  it('Restart on the stopped service restores the kept count', async () => {
    h = await startHarness();
    const { ts, id } = await requestStop();
    await click('approve', id, USERS.lead2, ts);
    await waitFor(() => h.fake!.desired('backend') === 0, 5000, 'the stop');
    await click('restart', 'backend', USERS.oncall, ts);
    await waitFor(() => h.fake!.desired('backend') === 2, 5000, 'the restart');
    expect(h.fake!.calls.find((c) => c.method === 'restart')?.args).toMatchObject({
      service: 'backend',
      actor: { id: USERS.oncall },
    });
  });

  it('Deny leaves the service alone and says who denied it', async () => {
    h = await startHarness();
    const { ts, id } = await requestStop();
    await click('deny', id, USERS.lead2, ts);
    const denied = await waitFor(
      () => h.slack.of('chat.update').find((u) => messageText(u.body).includes('Denied by <@ULEAD2>')),
      5000,
      'the denial',
    );
    expect(buttonsOf(denied.body)).toEqual([]);
    await click('approve', id, USERS.lead2, ts);
    await waitFor(() => answers().length === 1, 5000, 'the answer');
    expect(answers()[0].body.text).toMatch(/Already denied/);
    expect(stops()).toHaveLength(0);
  });

  it('an expired request is marked expired and cannot be approved', async () => {
    h = await startHarness({ configYaml: CONFIG_YAML.replace('approval: 10m', 'approval: 300ms') });
    const { ts, id } = await requestStop();
    const expired = await waitFor(
      () => h.slack.of('chat.update').find((u) => u.body.ts === ts && messageText(u.body).includes('Expired')),
      5000,
      'the expired message',
    );
    expect(buttonsOf(expired.body)).toEqual([]);
    await click('approve', id, USERS.lead2, ts);
    const answer = await waitFor(() => answers()[0], 5000, 'the answer');
    expect(answer.body.text).toMatch(/expired/);
    expect(stops()).toHaveLength(0);
  });

  it('a service that requires approval for deploys gets one before the deploy runs', async () => {
    h = await startHarness();
    await h.command('/deploy', 'web abc1234', USERS.deployer);
    const post = await waitFor(() => h.slack.of('chat.postMessage')[0], 5000, 'the approval request');
    const approve = buttonsOf(post.body).find((b) => b.action_id === 'approve')!;
    expect(h.fake!.calls.filter((c) => c.method === 'deploy')).toHaveLength(0);
    await click('approve', approve.value, USERS.lead1, post.ts!);
    await waitFor(async () => (await h.fake!.change('d-1'))?.outcome === 'succeeded', 5000, 'the approved deploy');
    expect(h.fake!.calls.find((c) => c.method === 'deploy')?.args).toMatchObject({
      service: 'web',
      sha: 'abc1234',
      approvalId: approve.value,
      actor: { id: USERS.deployer },
    });
    const parent = h.slack
      .of('chat.postMessage')
      .find((m) => !m.body.thread_ts && String(m.body.text).startsWith('Deploy web'))!;
    const outcome = await waitFor(
      () => h.slack.replies(parent.ts!).find((r) => r.body.reply_broadcast === true),
      5000,
      'the broadcast outcome',
    );
    expect(messageText(outcome.body)).toContain('Requested by <@UDEPLOYER> · approved by <@ULEAD1>');
  });
});
