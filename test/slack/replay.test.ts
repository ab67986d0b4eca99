import { SeenRequests } from '../../src/slack/replay-guard';
import { startHarness, USERS, waitFor, type Harness } from './helpers/harness';
import { actionBody, commandBody, eventBody, postSigned } from './helpers/signed-requests';

describe('Slack bot: no replays', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });

  afterEach(async () => {
    await h.close();
  });

  const deploys = () => h.fake!.calls.filter((c) => c.method === 'deploy');
  const form = 'application/x-www-form-urlencoded';

  it('the same signed /deploy delivered twice runs once; the second delivery is acknowledged', async () => {
    const body = commandBody({
      command: '/deploy',
      text: 'backend abc1234',
      user_id: USERS.deployer,
      channel_id: 'CDEPLOYS',
      response_url: h.slack.responseUrl('replayed'),
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const first = await postSigned(h.port, body, form, { timestamp });
    await waitFor(async () => (await h.fake!.change('d-1'))?.outcome === 'succeeded', 5000, 'the deploy');
    const again = await postSigned(h.port, body, form, { timestamp });
    expect([first.status, again.status]).toEqual([200, 200]);
    // A later command still runs: the bot had every chance to run the replay meanwhile.
    await h.command('/status', 'backend', USERS.deployer);
    await waitFor(
      () => h.slack.responses().some((r) => r.body.__id !== 'replayed' && JSON.stringify(r.body).includes('backend')),
      5000,
      'the /status answer',
    );
    expect(deploys()).toHaveLength(1);
    expect(h.slack.of('chat.postMessage').filter((m) => !m.body.thread_ts)).toHaveLength(1);
  });

  it("Slack's retry of a handled event (X-Slack-Retry-Num, new signature) is acknowledged without running again", async () => {
    const body = eventBody({ type: 'app_home_opened', user: USERS.deployer, channel: 'D1', tab: 'home' });
    const now = Math.floor(Date.now() / 1000);
    expect((await postSigned(h.port, body, 'application/json', { timestamp: now })).status).toBe(200);
    await waitFor(() => h.slack.of('views.publish').length === 1, 5000, 'the Home tab');
    const retry = await postSigned(h.port, body, 'application/json', {
      timestamp: now + 1,
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(retry.status).toBe(200);
    // a different event afterwards runs: the retry had its chance
    await h.event({ type: 'app_home_opened', user: USERS.oncall, channel: 'D2', tab: 'home' });
    await waitFor(
      () => h.slack.of('views.publish').some((p) => p.body.user_id === USERS.oncall),
      5000,
      'the second Home tab',
    );
    expect(h.slack.of('views.publish').filter((p) => p.body.user_id === USERS.deployer)).toHaveLength(1);
  });

  it('a /deploy retried by Slack, re-signed with a new timestamp, runs once: no "busy" reply, the same answer', async () => {
    const body = commandBody({
      command: '/deploy',
      text: 'backend abc1234',
      user_id: USERS.deployer,
      channel_id: 'CDEPLOYS',
      response_url: h.slack.responseUrl('retried'),
    });
    const now = Math.floor(Date.now() / 1000);
    const first = await postSigned(h.port, body, form, { timestamp: now });
    const retry = await postSigned(h.port, body, form, {
      timestamp: now + 2,
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(retry).toEqual(first);
    await waitFor(async () => (await h.fake!.change('d-1'))?.outcome === 'succeeded', 5000, 'the deploy');
    expect(deploys()).toHaveLength(1);
    expect(h.slack.responses().filter((r) => /busy|locked/.test(JSON.stringify(r.body)))).toHaveLength(0);
  });

  it('a click delivered again with a new signature (the same trigger_id) acts once', async () => {
    const body = actionBody({
      actionId: 'restart',
      value: 'backend',
      userId: USERS.oncall,
      channelId: 'CDEPLOYS',
      responseUrl: h.slack.responseUrl('click'),
    });
    const now = Math.floor(Date.now() / 1000);
    await h.fake!.stopped('backend', 2);
    await postSigned(h.port, body, form, { timestamp: now });
    await postSigned(h.port, body, form, { timestamp: now + 1, headers: { 'x-slack-retry-num': '1' } });
    await waitFor(() => h.fake!.desired('backend') === 2, 5000, 'the restart');
    expect(h.fake!.calls.filter((c) => c.method === 'restart')).toHaveLength(1);
  });

  it("a retry is answered with the first delivery's acknowledgement, whatever it was", async () => {
    // A request from another workspace is acknowledged with a refusal text, not an empty 200.
    const body = commandBody({
      command: '/status',
      text: 'backend',
      user_id: USERS.deployer,
      channel_id: 'CDEPLOYS',
      response_url: h.slack.responseUrl('foreign'),
      team_id: 'T0EVIL',
    });
    const now = Math.floor(Date.now() / 1000);
    const first = await postSigned(h.port, body, form, { timestamp: now });
    const retry = await postSigned(h.port, body, form, { timestamp: now + 3, headers: { 'x-slack-retry-num': '2' } });
    expect(first.text).toMatch(/serves only the workspace/);
    expect(retry).toEqual(first);
    const refusals = (await h.fake!.audits()).filter((a) => a.action === 'workspace.refused');
    expect(refusals).toHaveLength(1);
  });

  it('a timestamp more than 5 minutes in the future is refused with 401, like a stale one', async () => {
    const future = await h.command('/deploy', 'backend abc1234', USERS.deployer, {
      timestamp: Math.floor(Date.now() / 1000) + 10 * 60,
    });
    const stale = await h.command('/deploy', 'backend abc1234', USERS.deployer, {
      timestamp: Math.floor(Date.now() / 1000) - 10 * 60,
    });
    expect([future.status, stale.status]).toEqual([401, 401]);
    const slightlyAhead = await h.command('/status', 'backend', USERS.deployer, {
      timestamp: Math.floor(Date.now() / 1000) + 60,
    });
    expect(slightlyAhead.status).toBe(200);
    await waitFor(() => h.slack.responses().length === 1, 5000, 'the /status answer');
    expect(deploys()).toHaveLength(0);
  });
});

describe('SeenRequests', () => {
  it('remembers a key for its lifetime, then forgets it', () => {
    let now = 0;
    const seen = new SeenRequests(600_000, 100, () => now);
    expect(seen.seenBefore(['a'])).toBe(false);
    expect(seen.seenBefore(['a'])).toBe(true);
    now = 599_999;
    expect(seen.seenBefore(['b', 'a'])).toBe(true);
    now = 600_000;
    expect(seen.seenBefore(['a'])).toBe(false);
  });

  it('stays bounded under a flood', () => {
    const seen = new SeenRequests(600_000, 100, () => 0);
    for (let i = 0; i < 1000; i += 1) seen.seenBefore([`k${i}`]);
    expect(seen.size).toBe(100);
    expect(seen.seenBefore(['k999'])).toBe(true);
  });
});
