import { messageText, startHarness, USERS, waitFor, type Harness } from './helpers/harness';

describe('Slack bot: Home tab', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness({ bot: { homeStatusTimeoutMs: 200 } });
  });

  afterEach(async () => {
    await h.close();
  });

  it('publishes every service with revision, counts, last deploy and pending approval', async () => {
    await h.command('/deploy', 'backend abc1234', USERS.deployer);
    await waitFor(async () => (await h.fake!.change('d-1'))?.outcome === 'succeeded', 5000, 'the deploy');
    await h.command('/emergency-stop', 'web too many 500s', USERS.oncall);
    await waitFor(async () => (await h.fake!.approvals()).length === 1, 5000, 'the approval');
    const res = await h.event({ type: 'app_home_opened', user: USERS.nobody, channel: 'D1', tab: 'home' });
    expect(res.status).toBe(200);
    const publish = await waitFor(() => h.slack.of('views.publish')[0], 5000, 'views.publish');
    expect(publish.body.user_id).toBe(USERS.nobody);
    expect(publish.body.view.type).toBe('home');
    const text = messageText(publish.body.view);
    expect(text).toContain('backend:42');
    expect(text).toContain('`abc1234`');
    expect(text).toContain('2/2 running');
    expect(text).toContain('Last deploy: succeeded by <@UDEPLOYER>');
    expect(text).toContain('stop awaiting approval');
    // The delivery section: the harness's deploy of each service a day ago, and this one.
    expect(text).toContain('*Delivery, 2 services, last 4 weeks*');
    expect(text).toContain('*Deployment frequency*\\n0.8 / week · :large_yellow_circle: medium');
    expect(text).toContain('0 of 3 deploys failed or rolled back within 24 h');
    expect(publish.body.view.blocks.some((b: { type: string }) => b.type === 'data_visualization')).toBe(false);
  });

  it('shows a failing or slow service as a line, not a failure', async () => {
    h.fake!.failStatus('backend', 'error');
    h.fake!.failStatus('web', 'hang');
    await h.event({ type: 'app_home_opened', user: USERS.nobody, channel: 'D1', tab: 'home' });
    const publish = await waitFor(() => h.slack.of('views.publish')[0], 5000, 'views.publish');
    const text = messageText(publish.body.view);
    expect(text).toContain('AccessDenied');
    expect(text).toContain('no answer within 200 ms');
  });
});
