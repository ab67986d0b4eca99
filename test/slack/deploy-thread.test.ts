import { buttonsOf, messageText, startHarness, USERS, waitFor, type Harness } from './helpers/harness';

describe('Slack bot: a deploy in its thread', () => {
  let h: Harness;

  afterEach(async () => {
    await h.close();
  });

  const updatesOf = (ts: string) => h.slack.of('chat.update').filter((c) => c.body.ts === ts);

  async function deployAndWait(text = 'backend abc1234'): Promise<{ parentTs: string }> {
    await h.command('/deploy', text, USERS.deployer);
    await waitFor(async () => (await h.fake!.change('d-1'))?.outcome === 'succeeded', 10_000, 'the deploy');
    const parent = await waitFor(() => h.slack.of('chat.postMessage')[0], 5000, 'the parent message');
    const parentTs = parent.ts!;
    expect(parent.body.thread_ts).toBeUndefined();
    await waitFor(
      () => h.slack.replies(parentTs).some((c) => c.body.reply_broadcast === true),
      10_000,
      'the final broadcast',
    );
    return { parentTs };
  }

  it('posts the parent, details as thread replies, coalesced updates and a broadcast outcome', async () => {
    // Prepare
    h = await startHarness();
    // Act
    const { parentTs } = await deployAndWait();
    await waitFor(() => h.slack.of('files.completeUploadExternal').length === 1, 5000, 'the report upload');
    // Assess: every thread reply hangs off the parent's ts
    const posts = h.slack.of('chat.postMessage');
    expect(posts.slice(1).every((c) => c.body.thread_ts === parentTs)).toBe(true);
    const replies = posts.slice(1).map((c) => messageText(c.body));
    expect(replies.some((t) => t.includes('Service events'))).toBe(true);
    expect(replies.some((t) => t.includes('Target health') && t.includes('healthy 2'))).toBe(true);
    expect(replies.some((t) => t.includes('readiness'))).toBe(true);
    expect(replies.some((t) => t.includes('cache miss storm'))).toBe(true);
    const broadcast = posts.filter((c) => c.body.reply_broadcast === true);
    expect(broadcast).toHaveLength(1);
    expect(messageText(broadcast[0].body)).toContain('succeeded');
    // the report went into the thread as a file
    expect(h.slack.of('files.completeUploadExternal')[0].body).toMatchObject({
      channel_id: 'CDEPLOYS',
      thread_ts: parentTs,
    });
    // the engine knows where the thread is
    expect((await h.fake!.change('d-1'))?.slack).toEqual({ channel: 'CDEPLOYS', ts: parentTs });
    // updates of the parent: spaced by the configured interval, fewer than the events, the last one final
    await waitFor(
      () => updatesOf(parentTs).some((u) => messageText(u.body).includes('"action_id":"rollback"')),
      5000,
      'the final update',
    );
    const updates = updatesOf(parentTs);
    for (let i = 1; i < updates.length; i += 1) expect(updates[i].at - updates[i - 1].at).toBeGreaterThanOrEqual(100);
    expect(updates.length).toBeLessThan(12);
    const final = messageText(updates.at(-1)!.body);
    expect(final).toContain('succeeded');
    expect(final).toContain('<https://github.com/example/backend/commit/abc1234|abc1234>');
    expect(final).toContain('abababababab');
    expect(final).toContain('backend:41 → backend:42');
    expect(final).toContain('✓ Roll out');
  });

  it('keeps to one chat.update per second per message with the default interval', async () => {
    h = await startHarness({ paceMs: 150, bot: { reporter: { retryBaseMs: 50 } } });
    const { parentTs } = await deployAndWait();
    await waitFor(
      () => updatesOf(parentTs).some((u) => messageText(u.body).includes('succeeded')),
      5000,
      'the final update',
    );
    const updates = updatesOf(parentTs);
    expect(updates.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < updates.length; i += 1) expect(updates[i].at - updates[i - 1].at).toBeGreaterThanOrEqual(1000);
  });

  it('shows a Cancel button while running, and Cancel rolls back once', async () => {
    // Prepare: a deploy held in its rollout
    h = await startHarness();
    const release = h.fake!.hold();
    await h.command('/deploy', 'backend abc1234', USERS.deployer);
    const parentTs = (await waitFor(() => h.slack.of('chat.postMessage')[0], 5000, 'the parent')).ts!;
    const running = await waitFor(
      () => updatesOf(parentTs).find((u) => buttonsOf(u.body).some((b) => b.action_id === 'cancel_deploy')),
      5000,
      'the Cancel button',
    );
    const cancel = buttonsOf(running.body).find((b) => b.action_id === 'cancel_deploy')!;
    expect(cancel.style).toBe('danger');
    expect(cancel.confirm).toBeDefined();
    // Act
    await h.click({
      actionId: 'cancel_deploy',
      value: cancel.value,
      userId: USERS.deployer,
      messageTs: parentTs,
      blockId: cancel.block_id,
    });
    await waitFor(async () => (await h.fake!.change('d-1'))?.outcome === 'rolled_back', 5000, 'the cancelled deploy');
    await h.click({
      actionId: 'cancel_deploy',
      value: cancel.value,
      userId: USERS.deployer,
      messageTs: parentTs,
      blockId: cancel.block_id,
    });
    release();
    // Assess
    expect(h.fake!.calls.filter((c) => c.method === 'cancel')).toHaveLength(1);
    await waitFor(
      () => h.slack.replies(parentTs).some((c) => messageText(c.body).includes('Cancel requested by <@UDEPLOYER>')),
      5000,
      'the cancel note',
    );
    const second = await waitFor(() => h.slack.responses().at(-1), 5000, 'the answer to the second click');
    expect(second.body.text).toMatch(/already finished/);
    expect(second.body.response_type).toBe('ephemeral');
  });

  it('uploads nothing but posts the report as text when file upload is not allowed', async () => {
    h = await startHarness();
    h.slack.failNext('files.getUploadURLExternal', 1, { error: 'not_allowed' });
    const { parentTs } = await deployAndWait();
    const snippet = await waitFor(
      () => h.slack.replies(parentTs).find((c) => messageText(c.body).includes('file upload failed')),
      5000,
      'the report as text',
    );
    expect(messageText(snippet.body)).toContain('not_allowed');
    expect(h.slack.of('files.completeUploadExternal')).toHaveLength(0);
  });

  it('posts the stored report of the change, not one of its own', async () => {
    // Prepare: the report the engine stored; uploads refused, so it shows as text
    h = await startHarness();
    h.reports.set('d-1', '# Deploy backend abc1234\n\nthe stored report, rendered once');
    h.slack.failNext('files.getUploadURLExternal', 1, { error: 'not_allowed' });
    // Act
    const { parentTs } = await deployAndWait();
    // Assess
    const report = await waitFor(
      () => h.slack.replies(parentTs).find((c) => messageText(c.body).includes('file upload failed')),
      5000,
      'the report',
    );
    expect(messageText(report.body)).toContain('the stored report, rendered once');
  });

  it('posts a short report from the outcome when none was stored', async () => {
    h = await startHarness();
    h.slack.failNext('files.getUploadURLExternal', 1, { error: 'not_allowed' });
    const { parentTs } = await deployAndWait();
    const report = await waitFor(
      () => h.slack.replies(parentTs).find((c) => messageText(c.body).includes('file upload failed')),
      5000,
      'the report',
    );
    const text = messageText(report.body);
    expect(text).toContain('The full report was not stored');
    expect(text).toContain('succeeded');
    expect(text.length).toBeLessThan(5000);
  });

  it('tells the caller when the thread cannot be posted, and the deploy goes on', async () => {
    h = await startHarness();
    h.slack.failNext('chat.postMessage', 1, { error: 'not_in_channel' });
    await h.command('/deploy', 'backend abc1234', USERS.deployer);
    await waitFor(async () => (await h.fake!.change('d-1'))?.outcome === 'succeeded', 5000, 'the deploy');
    const warning = await waitFor(
      () => h.slack.responses().find((r) => /cannot post the progress thread/.test(r.body.text)),
      5000,
      'the warning',
    );
    expect(warning.body.text).toContain('not_in_channel');
  });

  it('finishes the deploy while Slack answers 429 and 500, and the messages catch up', async () => {
    // Prepare: Slack rate-limits the first post for a second, then fails updates and posts with 500s
    h = await startHarness();
    h.slack.failNext('chat.postMessage', 1, { status: 429, retryAfter: 1 });
    h.slack.failNext('chat.update', 4, { status: 500 });
    // Act
    await h.command('/deploy', 'backend abc1234', USERS.deployer);
    await waitFor(async () => (await h.fake!.change('d-1'))?.outcome === 'succeeded', 5000, 'the deploy');
    // Assess: the deploy finished before Slack let the first message through
    expect(h.slack.of('chat.postMessage')).toHaveLength(0);
    h.slack.failNext('chat.postMessage', 3, { status: 500 });
    const parent = await waitFor(() => h.slack.of('chat.postMessage')[0], 10_000, 'the parent, late');
    expect(parent.body.thread_ts).toBeUndefined();
    const ts = parent.ts!;
    await waitFor(
      () => h.slack.replies(ts).some((c) => c.body.reply_broadcast === true),
      10_000,
      'the broadcast, late',
    );
    await waitFor(
      () => updatesOf(ts).some((u) => messageText(u.body).includes('succeeded')),
      10_000,
      'the final update, late',
    );
    expect(h.slack.calls.filter((c) => c.status === 429)).toHaveLength(1);
    expect(h.slack.calls.filter((c) => c.status === 500).length).toBeGreaterThanOrEqual(4);
  });
});
