import { buttonsOf, messageText, startHarness, USERS, waitFor, type Harness } from './helpers/harness';

const SLACK_DATE = /<!date\^\d+\^\{date_short_pretty\} \{time\}\|\d{4}-\d\d-\d\d \d\d:\d\d UTC>/;

describe('Slack bot: messages read as a person would say them', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });

  afterEach(async () => {
    await h.close();
  });

  async function approvedStop(): Promise<{ ts: string }> {
    await h.command('/emergency-stop', 'backend memory leak takes the DB down', USERS.lead1);
    const post = await waitFor(() => h.slack.of('chat.postMessage')[0], 5000, 'the approval request');
    const id = buttonsOf(post.body).find((b) => b.action_id === 'approve')!.value;
    await h.click({
      actionId: 'approve',
      value: id,
      userId: USERS.lead2,
      messageTs: post.ts!,
      blockId: `approval:${id}`,
    });
    await waitFor(() => h.fake!.desired('backend') === 0, 5000, 'the stop');
    return { ts: post.ts! };
  }

  it('an approval request says what, for how long as a Slack date, and its outcome names requester and approver', async () => {
    const { ts } = await approvedStop();
    const request = h.slack.of('chat.postMessage')[0].body;
    expect(request.text).toBe('Emergency stop of backend — approval needed');
    const expires = messageText(request);
    expect(expires).toMatch(new RegExp(`\\*Expires\\*\\\\n${SLACK_DATE.source}`));
    expect(expires).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
    const done = await waitFor(
      () =>
        h.slack
          .of('chat.update')
          .find((u) => u.body.ts === ts && messageText(u.body).includes('stopped: desired 2 → 0')),
      5000,
      'the outcome',
    );
    expect(done.body.text).toBe('Emergency stop of backend — approved by <@ULEAD2>');
    const text = messageText(done.body);
    expect(text).toContain('Emergency stop of backend — approved');
    expect(text).not.toContain('approval approved');
    expect(text).toContain('Requested by <@ULEAD1> · approved by <@ULEAD2>');
  });

  it("the stop's own message shows the desired count before → after, what runs, the reason and who asked", async () => {
    await approvedStop();
    const parentOf = () =>
      [...h.slack.of('chat.update'), ...h.slack.of('chat.postMessage')].filter(
        (m) => String(m.body.text).includes('Emergency stop of backend') && !String(m.body.text).includes('approv'),
      );
    const last = await waitFor(
      () =>
        parentOf()
          .reverse()
          .find((m) => messageText(m.body).includes('succeeded')),
      5000,
      'the finished stop message',
    );
    const text = messageText(last.body);
    expect(text).toContain('*Desired count*\\n2 → 0');
    expect(text).toContain('*Running*\\n0 tasks');
    expect(text).toContain('*Reason*\\nmemory leak takes the DB down');
    expect(text).toContain('*Requested by*\\n<@ULEAD1>');
    expect(text).not.toContain('*Commit*');
    expect(text).not.toContain('*Digest*');
    expect(text).not.toContain('*Revision*');
  });

  /** The change's own message (not the approval request) as it reads at the end, and its broadcast outcome. */
  async function finishedThread(title: RegExp): Promise<{ parent: string; outcome: string }> {
    const posted = await waitFor(
      () => h.slack.of('chat.postMessage').find((m) => !m.body.thread_ts && title.test(String(m.body.text))),
      5000,
      'the parent message',
    );
    const ts = posted.ts!;
    const last = await waitFor(
      () =>
        h.slack
          .of('chat.update')
          .filter((u) => u.body.ts === ts)
          .reverse()
          .find((u) => String(u.body.text).includes('succeeded')),
      5000,
      'the finished parent',
    );
    const outcome = await waitFor(
      () => h.slack.replies(ts).find((r) => r.body.reply_broadcast === true),
      5000,
      'the broadcast outcome',
    );
    return { parent: messageText(last.body), outcome: messageText(outcome.body) };
  }

  it('an approved stop names the requester and the approver in its message and in the outcome shown in the channel', async () => {
    await approvedStop();
    const { parent, outcome } = await finishedThread(/^Emergency stop of backend: /);
    expect(parent).toContain('*Requested by*\\n<@ULEAD1>\\napproved by <@ULEAD2>');
    expect(outcome).toContain('backend stopped: desired 2 → 0');
    expect(outcome).toContain('Requested by <@ULEAD1> · approved by <@ULEAD2>');
  });

  it('a deploy nobody had to approve names only the requester', async () => {
    await h.command('/deploy', 'backend abc1234', USERS.deployer);
    const { parent, outcome } = await finishedThread(/^Deploy backend abc1234/);
    expect(parent).toContain('*Requested by*\\n<@UDEPLOYER>');
    expect(outcome).toContain('Requested by <@UDEPLOYER>');
    for (const text of [parent, outcome]) expect(text).not.toContain('approved by');
  });

  it('a restart says what it restores', async () => {
    await approvedStop();
    await h.command('/restart', 'backend', USERS.oncall);
    await waitFor(() => h.fake!.desired('backend') === 2, 5000, 'the restart');
    const last = await waitFor(
      () =>
        [...h.slack.of('chat.update'), ...h.slack.of('chat.postMessage')]
          .reverse()
          .find((m) => String(m.body.text).includes('Restart of backend') && messageText(m.body).includes('succeeded')),
      5000,
      'the restart message',
    );
    const text = messageText(last.body);
    expect(text).toContain('*Desired count*\\n0 → 2');
    expect(text).toContain('*Running*\\n2 tasks');
    expect(text).toContain('*Requested by*\\n<@UONCALL>');
  });

  it('times in /deploys and /status are Slack dates with a readable fallback', async () => {
    await h.command('/deploy', 'backend abc1234', USERS.deployer);
    await waitFor(async () => (await h.fake!.change('d-1'))?.outcome === 'succeeded', 5000, 'the deploy');
    await h.command('/deploys', '', USERS.deployer);
    await h.command('/status', 'backend', USERS.deployer);
    await waitFor(() => h.slack.responses().length === 2, 5000, 'the answers');
    for (const r of h.slack.responses()) expect(messageText(r.body)).toMatch(SLACK_DATE);
  });
});
