import { CONFIG_YAML, messageText, startHarness, USERS, waitFor, type Harness } from './helpers/harness';

// `web` may be read by the platform group and the on-call only; everyone reads backend.
const READ_LIMITED = CONFIG_YAML.replace(
  '    requireApproval: [deploy]\n',
  '    requireApproval: [deploy]\n    access: { read: [S0PLATFORM, UONCALL] }\n',
);

describe('Slack bot: read access per service', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness({ configYaml: READ_LIMITED });
    // history of both services: a deploy of backend by the deployer, a stop of web by the on-call
    await h.fake!.te.store.insertDeploy({
      id: 'd-web',
      kind: 'stop',
      service: 'web',
      sha: 'fedcba9876',
      digest: `sha256:${'cd'.repeat(32)}`,
      image: null,
      fromTaskDefinition: null,
      toTaskDefinition: 'arn:aws:ecs:us-east-1:1:task-definition/web:7',
      finalTaskDefinition: null,
      outcome: 'succeeded',
      actor: { id: USERS.oncall, name: 'oncall', via: 'slack' },
      startedAt: new Date().toISOString(),
      finishedAt: new Date().toISOString(),
      phases: [],
      result: null,
      owner: 'test:1',
      slack: null,
      reportPath: null,
    });
    await h.command('/deploy', 'backend abc1234', USERS.deployer);
    await waitFor(async () => (await h.fake!.change('d-1'))?.outcome === 'succeeded', 5000, 'the deploy');
  });

  afterEach(async () => {
    await h.close();
  });

  const answerTo = async (command: string, text: string, user: string) => {
    const before = h.slack.responses().length;
    await h.command(command, text, user);
    return waitFor(() => h.slack.responses()[before], 5000, `the answer to ${command}`);
  };

  it('/deploys without a service shows an excluded user only what they may read', async () => {
    const outsider = messageText((await answerTo('/deploys', '', USERS.nobody)).body);
    expect(outsider).toContain('backend');
    expect(outsider).not.toContain('web');
    expect(outsider).not.toContain('fedcba9');
    expect(outsider).not.toContain('UONCALL');
    const insider = messageText((await answerTo('/deploys', '', USERS.oncall)).body);
    expect(insider).toContain('*web* stop');
  });

  it('/deploys stats without a service measures only what the caller may read, shown to them alone', async () => {
    const outsider = (await answerTo('/deploys', 'stats', USERS.nobody)).body;
    expect(outsider.response_type).toBe('ephemeral');
    // backend only: the harness's deploy a day ago and this test's deploy.
    expect(outsider.text).toContain('Delivery metrics for backend, last 8 weeks');
    expect(messageText(outsider)).not.toContain('web');
    const insider = (await answerTo('/deploys', 'stats', USERS.oncall)).body;
    expect(insider.response_type).toBe('in_channel');
    expect(insider.text).toContain('Delivery metrics for 2 services, last 8 weeks');
  });

  it('the Home tab lists only the services the user may read', async () => {
    await h.event({ type: 'app_home_opened', user: USERS.nobody, channel: 'D1', tab: 'home' });
    const publish = await waitFor(() => h.slack.of('views.publish')[0], 5000, 'views.publish');
    const text = messageText(publish.body.view);
    expect(text).toContain('*backend*');
    expect(text).not.toContain('web');
    expect(text).not.toContain('UONCALL');
  });

  it.each([
    ['/status', 'web'],
    ['/version', 'web'],
    ['/smoke', 'web'],
    ['/logs', 'web'],
    ['/deploys', 'web'],
    ['/deploys', 'stats web'],
  ])('%s %s is refused for an excluded user, and audited', async (command, text) => {
    const answer = await answerTo(command, text, USERS.nobody);
    expect(answer.body.text).toMatch(/not allowed to read web/);
    expect(messageText(answer.body)).not.toContain('web:41');
    await waitFor(
      async () =>
        (await h.fake!.audits()).find(
          (a) => a.action === 'read.refused' && a.service === 'web' && a.details.command === command,
        ),
      5000,
      'the audit row',
    );
    expect(h.fake!.calls.filter((c) => ['smoke', 'logs'].includes(c.method))).toHaveLength(0);
  });

  it('the releases list of /rollback needs read access too', async () => {
    const config = READ_LIMITED.replace(
      'rollback: [S0PLATFORM, UDEPLOYER]',
      'rollback: [S0PLATFORM, UDEPLOYER, UNOBODY]',
    );
    await h.close();
    h = await startHarness({ configYaml: config });
    const answer = await answerTo('/rollback', 'web', USERS.nobody);
    expect(answer.body.text).toMatch(/not allowed to read web/);
    expect(answer.body.blocks).toBeUndefined();
  });

  it('usage answers name only the services the user may read', async () => {
    const answer = await answerTo('/status', 'nope', USERS.nobody);
    const text = messageText(answer.body);
    expect(text).toContain('backend');
    expect(text).not.toContain('web');
  });
});
