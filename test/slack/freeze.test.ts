/**
 * Freezes from Slack, through Bolt's real receiver with signed requests: `/freeze` and `/unfreeze`
 * for the people in access.freeze, a deploy refused with its parent message naming the freeze, an
 * override approved by a second person, and the freeze on /status and the Home tab.
 */
import { SqliteStore } from '../../src/store/sqlite-store';
import { createTestEngine, sha } from '../fakes';
import { makeTempDir } from '../store/temp-db';
import { buttonsOf, CONFIG_YAML, messageText, startHarness, USERS, waitFor, type Harness } from './helpers/harness';

const WITH_FREEZERS = CONFIG_YAML.replace('access:\n', 'access:\n  freeze: [UONCALL]\n');
/** `<!date^EPOCH^{date_short_pretty} {time}|YYYY-MM-DD HH:MM UTC>` */
const SLACK_DATE = /<!date\^\d+\^\{date_short_pretty\} \{time\}\|\d{4}-\d\d-\d\d \d\d:\d\d UTC>/;

/** A daily window in UTC from an hour ago to three hours ahead (it may wrap midnight). */
function windowAroundNow(): string {
  const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
  const now = Date.now();
  return `${WITH_FREEZERS}freezes:
  - name: change-board
    services: [backend]
    start: "${hhmm(now - 3_600_000)}"
    end: "${hhmm(now + 3 * 3_600_000)}"
    timeZone: UTC
    reason: quarterly change board
`;
}

describe('Slack bot: freezes', () => {
  let h: Harness;
  const answers = () => h.slack.responses().filter((r) => String(r.body.__id).startsWith('cmd-'));
  const answerTo = (n: number) => waitFor(() => answers()[n], 5000, `answer ${n}`);

  /** Run after the bot stopped: stores and temp folders a test opened. */
  const cleanups: (() => unknown)[] = [];

  afterEach(async () => {
    await h.close();
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('lets access.freeze freeze a service, refuses a deploy with a parent message naming the freeze, and unfreezes', async () => {
    // Prepare
    h = await startHarness({ configYaml: WITH_FREEZERS });

    // Act
    await h.command('/freeze', 'backend 2h incident <!channel> INC-42', USERS.deployer);
    const refusedFreeze = await answerTo(0);
    await h.command('/freeze', 'backend 2h incident <!channel> INC-42', USERS.oncall);
    const frozen = await answerTo(1);
    await h.command('/deploy', 'backend abc1234', USERS.deployer);
    const refusal = await answerTo(2);
    await h.command('/unfreeze', 'backend', USERS.oncall);
    const lifted = await answerTo(3);

    // Assess: who may freeze
    expect(refusedFreeze.body.text).toMatch(/not allowed to freeze backend/);
    // the freeze is announced in the channel with who, why and when it ends; the reason cannot ping
    expect(frozen.body.response_type).toBe('in_channel');
    expect(frozen.body.text).toMatch(/^:snowflake: <@UONCALL> froze \*backend\* until <!date\^\d+\^/);
    expect(frozen.body.text).toContain('incident &lt;!channel&gt; INC-42');
    expect(frozen.body.text).toMatch(SLACK_DATE);
    // the deploy is refused, ephemerally, naming the freeze, who set it, why and until when
    expect(refusal.body.response_type).toBe('ephemeral');
    expect(refusal.body.text).toContain('backend is frozen, so the deploy was refused');
    expect(refusal.body.text).toMatch(
      /\*ad-hoc\* \(set by <@UONCALL>\): incident &lt;!channel&gt; INC-42 · until <!date/,
    );
    // the parent message of the refused deploy shows the freeze
    const parent = await waitFor(
      () =>
        h.slack
          .of('chat.update')
          .find((u) => messageText(u.body).includes('Refused: the service is frozen') && /refused/.test(u.body.text)),
      5000,
      'the refused parent message',
    );
    expect(messageText(parent.body)).toMatch(SLACK_DATE);
    expect((await h.fake!.change('d-1'))?.outcome).toBe('refused');
    expect(h.fake!.desired('backend')).toBe(2);
    // unfreezing is announced, and audited with the freeze
    expect(lifted.body.text).toMatch(/^:sunny: <@UONCALL> lifted the freeze on \*backend\*/);
    const actions = (await h.fake!.audits()).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['freeze.set', 'freeze.refused', 'freeze.cleared']));
  });

  it('answers a bad duration or a missing reason with the usage and sets nothing', async () => {
    // Prepare
    h = await startHarness({ configYaml: WITH_FREEZERS });

    // Act
    await h.command('/freeze', 'backend soon incident', USERS.oncall);
    await h.command('/freeze', 'all 2h', USERS.oncall);
    await h.command('/unfreeze', 'bakend', USERS.oncall);

    // Assess
    await waitFor(() => answers().length === 3, 5000, 'three answers');
    const texts = answers().map((a) => String(a.body.text));
    expect(texts[0]).toContain('a duration from 1m to 30d is required');
    expect(texts[1]).toContain('a reason is required');
    expect(texts[2]).toContain('unknown service "bakend"');
    expect(await h.fake!.te.store.listFreezes()).toEqual([]);
  });

  it('overrides a freeze with `force` once a second person approves, and says so in the parent message', async () => {
    // Prepare
    h = await startHarness({ configYaml: WITH_FREEZERS });
    await h.command('/freeze', 'all 1h incident INC-42', USERS.oncall);
    await answerTo(0);

    // Act: ask for the override; a lead approves it
    await h.command('/deploy', 'backend abc1234 force', USERS.deployer);
    const asked = await answerTo(1);
    const request = await waitFor(() => h.slack.of('chat.postMessage')[0], 5000, 'the approval request');
    const approve = buttonsOf(request.body).find((b) => b.action_id === 'approve')!;
    await h.click({
      actionId: 'approve',
      value: approve.value,
      userId: USERS.lead1,
      messageTs: request.ts!,
      blockId: `approval:${approve.value}`,
    });
    await waitFor(async () => (await h.fake!.change('d-1'))?.outcome === 'succeeded', 5000, 'the deploy');

    // Assess
    expect(asked.body.text).toContain('backend is frozen (ad-hoc): your override needs a second person');
    expect(messageText(request.body)).toContain('during a freeze');
    expect(h.fake!.calls.find((c) => c.method === 'deploy')?.args).toMatchObject({
      service: 'backend',
      force: true,
      approvalId: approve.value,
    });
    const parent = await waitFor(
      () =>
        h.slack
          .of('chat.update')
          .find((u) => messageText(u.body).includes("Frozen: overridden with <@ULEAD1>'s approval")),
      5000,
      'the parent message',
    );
    expect(messageText(parent.body)).toContain('incident INC-42');
    const override = (await h.fake!.audits()).find((a) => a.action === 'freeze.override');
    expect(override?.details).toMatchObject({ approvalId: approve.value, approvedBy: { id: USERS.lead1 } });
  });

  it('shows a configured window on /status and the Home tab', async () => {
    // Prepare
    h = await startHarness({ configYaml: windowAroundNow(), bot: { homeStatusTimeoutMs: 2000 } });

    // Act
    await h.command('/status', 'backend', USERS.nobody);
    const status = await answerTo(0);
    await h.event({ type: 'app_home_opened', user: USERS.nobody, channel: 'D1', tab: 'home' });
    const home = await waitFor(() => h.slack.of('views.publish')[0], 5000, 'views.publish');

    // Assess
    const statusText = messageText(status.body);
    expect(statusText).toContain('Frozen: deploys are refused');
    expect(statusText).toContain('*change-board* (config window, UTC): quarterly change board · until <!date^');
    const homeText = messageText(home.body.view);
    expect(homeText).toContain('*change-board* (config window, UTC)');
    expect(homeText.match(/change-board/g)).toHaveLength(1); // web is not in the window
  });

  it('a /freeze on the bot refuses the next deploy of another process sharing the store (a CI job)', async () => {
    // Prepare: the bot's engine and a CI engine, each with its own connection to one SQLite file
    const temp = makeTempDir('slack-freeze-');
    const botStore = new SqliteStore(temp.dbPath);
    const ciStore = new SqliteStore(temp.dbPath);
    cleanups.push(
      () => ciStore.close(),
      () => botStore.close(),
      () => temp.remove(),
    );
    h = await startHarness({
      configYaml: WITH_FREEZERS,
      engine: () => createTestEngine({ configYaml: WITH_FREEZERS, store: botStore, owner: 'bot' }).engine,
    });
    const ci = createTestEngine({ configYaml: WITH_FREEZERS, store: ciStore, owner: 'ci' });
    const ciActor = { id: 'ci:github', name: 'github', via: 'ci' as const };

    // Act
    await h.command('/freeze', 'all 30m release freeze', USERS.oncall);
    await answerTo(0);
    const refused = await ci.engine.deploy({ service: 'backend', sha: sha(2).slice(0, 7), actor: ciActor });
    await h.command('/unfreeze', 'all', USERS.oncall);
    await answerTo(1);
    const after = await ci.engine.deploy({ service: 'backend', sha: sha(2).slice(0, 7), actor: ciActor });

    // Assess
    expect(refused).toMatchObject({ outcome: 'refused', exitCode: 4, error: { code: 'frozen' } });
    expect(refused.error?.message).toContain('ad-hoc ("release freeze", set by');
    expect(after.outcome).toBe('succeeded');
  });
});
