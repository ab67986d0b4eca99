import { parseConfig } from '../../src/config/load';
import { fromHome, requestOrigin } from '../../src/slack/workspace';
import { buttonsOf, CONFIG_YAML, startHarness, USERS, waitFor, type Harness } from './helpers/harness';
import { commandBody, postSigned } from './helpers/signed-requests';

const FORM = 'application/x-www-form-urlencoded';

describe('Slack bot: requests from another workspace are refused', () => {
  let h: Harness;

  afterEach(async () => {
    await h.close();
  });

  const refusals = async () => (await h.fake!.audits()).filter((a) => a.action === 'workspace.refused');
  const acted = (method: string) => h.fake!.calls.filter((c) => c.method === method);

  function foreignCommand(
    command: string,
    text: string,
    user: string,
    team: { team_id?: string; enterprise_id?: string },
  ) {
    const body = commandBody({
      command,
      text,
      user_id: user,
      channel_id: 'CDEPLOYS',
      response_url: h.slack.responseUrl(`foreign-${command}`),
      ...team,
    });
    return postSigned(h.port, body, FORM);
  }

  /** A deploy from the home workspace, finished, and its Roll back button. */
  async function finishedDeploy() {
    await h.command('/deploy', 'backend abc1234', USERS.deployer);
    await waitFor(async () => (await h.fake!.change('d-1'))?.outcome === 'succeeded', 5000, 'the deploy');
    const update = await waitFor(
      () => h.slack.of('chat.update').find((u) => buttonsOf(u.body).some((b) => b.action_id === 'rollback')),
      5000,
      'the Roll back button',
    );
    return { body: update.body, button: buttonsOf(update.body).find((b) => b.action_id === 'rollback')! };
  }

  it("a click from team T0EVIL by a user ID equal to a deployer's rolls nothing back; it is audited, and the home team's click works", async () => {
    // Prepare: the installed workspace comes from auth.test (T1)
    h = await startHarness();
    const { body, button } = await finishedDeploy();
    const click = { actionId: 'rollback', value: button.value, userId: USERS.deployer, blockId: button.block_id };
    // Act
    const foreign = await h.click({ ...click, blocks: body.blocks, teamId: 'T0EVIL' });
    const row = await waitFor(async () => (await refusals())[0], 5000, 'the audit row');
    // Assess
    expect(foreign.status).toBe(200);
    expect(row).toMatchObject({
      actor: { id: USERS.deployer, via: 'slack' },
      service: null,
      details: { where: 'button', team: ['T0EVIL'], request: 'rollback' },
    });
    expect(String(row.details.reason)).toMatch(/T0EVIL, not the workspace this app is installed in/);
    expect(acted('rollback')).toHaveLength(0);
    expect(h.slack.responses()).toHaveLength(0);
    // The same click from the home workspace rolls back.
    await h.click({ ...click, blocks: body.blocks });
    await waitFor(() => acted('rollback').length === 1, 5000, 'the rollback');
  });

  it('a home-team message clicked by a user of another team (a shared channel) is refused', async () => {
    h = await startHarness();
    const { body, button } = await finishedDeploy();
    await h.click({
      actionId: 'rollback',
      value: button.value,
      userId: USERS.deployer,
      blockId: button.block_id,
      blocks: body.blocks,
      userTeamId: 'T0EVIL',
    });
    await waitFor(async () => (await refusals()).length === 1, 5000, 'the audit row');
    expect(acted('rollback')).toHaveLength(0);
  });

  it('/deploy and /status from another workspace: nothing acts or answers but the refusal, both audited', async () => {
    h = await startHarness();
    const deploy = await foreignCommand('/deploy', 'backend abc1234', USERS.deployer, { team_id: 'T0EVIL' });
    const status = await foreignCommand('/status', 'backend', 'UFOREIGN', { team_id: 'T0EVIL' });
    expect([deploy.text, status.text].every((t) => t.includes('serves only the workspace it is installed in'))).toBe(
      true,
    );
    const rows = await waitFor(async () => ((await refusals()).length === 2 ? refusals() : null), 5000, 'two rows');
    expect(rows.map((r) => [r.actor.id, r.details.where, r.details.request])).toEqual([
      [USERS.deployer, 'command', '/deploy'],
      ['UFOREIGN', 'command', '/status'],
    ]);
    expect(h.fake!.calls).toHaveLength(0);
    expect(h.slack.responses()).toHaveLength(0);
    expect(h.slack.of('chat.postMessage')).toHaveLength(0);
    // The home workspace is served as before.
    await h.command('/status', 'backend', USERS.deployer);
    await waitFor(() => h.slack.responses().length === 1, 5000, 'the home /status answer');
  });

  it('an event from another workspace (the Home tab) publishes nothing', async () => {
    h = await startHarness();
    const event = { type: 'app_home_opened', user: USERS.deployer, channel: 'D1', tab: 'home' };
    const body = JSON.stringify({
      token: 'legacy',
      team_id: 'T0EVIL',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: 'Ev0EVIL',
      event_time: Math.floor(Date.now() / 1000),
      event,
    });
    expect((await postSigned(h.port, body, 'application/json')).status).toBe(200);
    await waitFor(async () => (await refusals()).length === 1, 5000, 'the audit row');
    expect((await refusals())[0].details).toMatchObject({ where: 'event', request: 'app_home_opened' });
    await h.event(event);
    await waitFor(() => h.slack.of('views.publish').length === 1, 5000, 'the home Home tab');
  });

  it('slack.teamId names an Enterprise Grid organisation: its workspaces are served, others are not', async () => {
    const configYaml = CONFIG_YAML.replace('region: us-east-1', 'region: us-east-1\nslack:\n  teamId: [E0HOME]');
    h = await startHarness({ configYaml });
    await foreignCommand('/status', 'backend', USERS.deployer, { team_id: 'T0OTHER', enterprise_id: 'E0HOME' });
    await waitFor(() => h.slack.responses().length === 1, 5000, 'the /status answer');
    // The bot's own workspace (T1) is not in the list: the configured list is the truth.
    const home = await foreignCommand('/status', 'backend', USERS.deployer, { team_id: 'T1' });
    const evil = await foreignCommand('/status', 'backend', USERS.deployer, {
      team_id: 'T0EVIL',
      enterprise_id: 'E0EVIL',
    });
    expect([home.text, evil.text].every((t) => t.includes('serves only'))).toBe(true);
    await waitFor(async () => (await refusals()).length === 2, 5000, 'two audit rows');
  });
});

describe('requestOrigin and fromHome', () => {
  const home = { teams: ['T1'], enterprises: [] };

  it('reads the team of the request and of its sender, for commands, clicks and events', () => {
    expect(requestOrigin({ command: '/status', team_id: 'T1', user_id: 'U1' })).toMatchObject({
      teams: ['T1'],
      user: 'U1',
      where: 'command',
    });
    const click = requestOrigin({
      type: 'block_actions',
      team: { id: 'T1' },
      user: { id: 'U1', team_id: 'T2' },
      actions: [{ action_id: 'rollback' }],
    });
    expect(click).toMatchObject({ teams: ['T1', 'T2'], user: 'U1', where: 'button', what: 'rollback' });
    expect(fromHome(click, home)).toBe(false);
  });

  it('a request naming no workspace, or only hostile text where an ID belongs, is not home', () => {
    expect(fromHome(requestOrigin({ command: '/status' }), home)).toBe(false);
    const hostile = requestOrigin({ command: '/status', team_id: 'T1\u202e<!channel>' });
    expect(hostile.teams).toEqual([]);
    expect(fromHome(hostile, home)).toBe(false);
  });
});

describe('config slack.teamId', () => {
  const base = CONFIG_YAML.replace('region: us-east-1', 'region: us-east-1\nslack:\n  teamId: TEAMID');

  it('takes one ID or a list', () => {
    expect(parseConfig(base.replace('TEAMID', 'T0123')).slack.teamId).toEqual(['T0123']);
    expect(parseConfig(base.replace('TEAMID', '[T0123, E0456]')).slack.teamId).toEqual(['T0123', 'E0456']);
  });

  it('refuses what is not a workspace or organisation ID, saying what it must be', () => {
    expect(() => parseConfig(base.replace('TEAMID', 'example.slack.com'))).toThrow(
      /slack\.teamId.*must be a Slack workspace ID \(T…\) or an Enterprise Grid organisation ID \(E…\)/s,
    );
    expect(() => parseConfig(base.replace('TEAMID', '[]'))).toThrow(/slack\.teamId.*at least one/s);
  });
});
