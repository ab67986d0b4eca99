import { capturingLogger, CONFIG_YAML, startHarness, USERS, waitFor, type Harness } from './helpers/harness';

describe('Slack bot: every refusal is audited and logged', () => {
  let h: Harness;
  let logs: ReturnType<typeof capturingLogger>;

  beforeEach(async () => {
    logs = capturingLogger();
    h = await startHarness({ bot: { logger: logs.logger } });
  });

  afterEach(async () => {
    await h.close();
  });

  const refusals = async () => (await h.fake!.audits()).filter((a) => a.action.endsWith('.refused'));
  const answers = () => h.slack.responses();
  const warned = (why: RegExp) =>
    logs.lines().some((l) => l.level === 40 && l.msg === 'request refused' && why.test(String(l.why)));

  it('a user in no access list: the command is refused, audited with who, what, why and where', async () => {
    await h.command('/deploy', 'backend abc1234', USERS.nobody);
    const row = await waitFor(async () => (await refusals())[0], 5000, 'the audit row');
    expect(row).toMatchObject({
      actor: { id: USERS.nobody, via: 'slack' },
      action: 'deploy.refused',
      service: 'backend',
      details: { reason: 'you are not allowed to deploy backend', where: 'command', command: '/deploy' },
    });
    expect((await waitFor(() => answers()[0], 5000, 'the answer')).body.text).toMatch(/not allowed to deploy backend/);
    expect(warned(/not allowed to deploy backend/)).toBe(true);
    expect(h.fake!.calls.filter((c) => c.method === 'deploy')).toHaveLength(0);
  });

  it('crafted buttons: a forged change id, a forged release and a rollback by an outsider are audited as button refusals', async () => {
    await h.click({ actionId: 'cancel_deploy', value: 'd-999', userId: USERS.deployer });
    await h.click({ actionId: 'rollback_to', value: 'not-json{', userId: USERS.deployer });
    await h.click({
      actionId: 'rollback_to',
      value: JSON.stringify({ service: 'backend', deployId: 'd-404' }),
      userId: USERS.deployer,
    });
    await h.click({ actionId: 'restart', value: 'backend', userId: USERS.nobody });
    await waitFor(async () => (await refusals()).length === 4, 5000, 'four audit rows');
    expect((await refusals()).map((r) => [r.action, r.details.where, r.details.actionId])).toEqual(
      expect.arrayContaining([
        ['cancel.refused', 'button', 'cancel_deploy'],
        ['rollback.refused', 'button', 'rollback_to'],
        ['restart.refused', 'button', 'restart'],
      ]),
    );
    expect((await refusals()).find((r) => r.details.value === 'd-999')?.details.reason).toBe('unknown change id');
    expect(
      (await refusals())
        .filter((r) => r.action === 'rollback.refused')
        .map((r) => r.details.reason)
        .sort(),
    ).toEqual(expect.arrayContaining(['malformed button value']));
    expect(h.fake!.calls.filter((c) => ['rollback', 'restart', 'cancel'].includes(c.method))).toHaveLength(0);
  });

  it('approvals: self-approval, an outsider, a forged id, a second approval and an expired request each leave one audit row', async () => {
    await h.command('/emergency-stop', 'backend leaking memory', USERS.lead1);
    const post = await waitFor(() => h.slack.of('chat.postMessage')[0], 5000, 'the approval request');
    const id = (await h.fake!.approvals())[0].id;
    const click = (userId: string, value = id) =>
      h.click({ actionId: 'approve', value, userId, messageTs: post.ts!, blockId: `approval:${value}` });
    await click(USERS.lead1);
    await click(USERS.oncall);
    await click(USERS.lead2, 'a-forged');
    await waitFor(async () => (await refusals()).length === 3, 5000, 'three refusals');
    await click(USERS.lead2);
    await waitFor(() => h.fake!.desired('backend') === 0, 5000, 'the approved stop');
    await click(USERS.lead2);
    await waitFor(async () => (await refusals()).length === 4, 5000, 'the second approval refused');
    const rows = (await refusals()).map((r) => ({
      who: r.actor.id,
      action: r.action,
      why: String(r.details.reason),
      where: r.details.where,
    }));
    expect(rows).toHaveLength(4);
    expect(rows).toEqual(
      expect.arrayContaining([
        {
          who: USERS.lead1,
          action: 'approval.approved.refused',
          why: expect.stringMatching(/self-approval/),
          where: 'approval',
        },
        {
          who: USERS.oncall,
          action: 'approval.approved.refused',
          why: 'you are not allowed to approve backend',
          where: 'approval',
        },
        { who: USERS.lead2, action: 'approval.approved.refused', why: 'unknown approval request', where: 'approval' },
        // decided by the engine, which writes its own row
        { who: USERS.lead2, action: 'approval.approved.refused', why: 'already_decided', where: undefined },
      ]),
    );
    expect(warned(/self-approval/)).toBe(true);
    expect(warned(/already used/)).toBe(true);
  });

  it('an expired approval request leaves one audit row', async () => {
    await h.close();
    h = await startHarness({
      configYaml: CONFIG_YAML.replace(
        '    requireApproval: [deploy]\n',
        '    requireApproval: [deploy]\n    timeouts: { approval: 300ms }\n',
      ),
      bot: { logger: logs.logger },
    });
    await h.command('/emergency-stop', 'web bad release', USERS.oncall);
    const post = await waitFor(() => h.slack.of('chat.postMessage')[0], 5000, 'the approval request');
    const second = (await h.fake!.approvals())[0];
    await waitFor(() => Date.now() > Date.parse(second.expiresAt), 5000, 'the expiry');
    await h.click({
      actionId: 'approve',
      value: second.id,
      userId: USERS.lead2,
      messageTs: post.ts!,
      blockId: `approval:${second.id}`,
    });
    await waitFor(
      async () => (await refusals()).some((r) => r.details.approvalId === second.id && r.details.reason === 'expired'),
      5000,
      'the expired refusal',
    );
    expect((await refusals()).filter((r) => r.details.approvalId === second.id)).toHaveLength(1);
    expect(warned(/expired/)).toBe(true);
  });
  it('a failed audit write is logged as an error and the refusal is still answered', async () => {
    h.engine.audit = () => Promise.reject(new Error('disk full'));
    await h.command('/deploy', 'backend abc1234', USERS.nobody);
    expect((await waitFor(() => answers()[0], 5000, 'the answer')).body.text).toMatch(/not allowed to deploy backend/);
    const line = logs.lines().find((l) => l.msg === 'could not audit a refusal');
    expect(line).toMatchObject({ level: 50, err: { message: 'disk full' } });
    expect(warned(/not allowed to deploy backend/)).toBe(true);
  });
  it('a pause button naming an inherited property instead of a service is refused as malformed', async () => {
    const value = JSON.stringify({ s: 'constructor', c: 'd-1', h: 'hook-1' });
    await h.click({ actionId: 'promote', value, userId: USERS.lead1 });
    const row = await waitFor(async () => (await refusals())[0], 5000, 'the audit row');
    expect(row).toMatchObject({
      action: 'promote.refused',
      service: null,
      details: { reason: 'malformed button value' },
    });
    expect((await waitFor(() => answers()[0], 5000, 'the answer')).body.text).toMatch(/button is not valid/);
  });
});
