/**
 * A blue/green deploy paused at a PAUSE hook, answered from Slack through Bolt's HTTP receiver
 * with signed requests: the pause message, CONTINUE and ROLLBACK clicks, an unauthorised click,
 * a double click and a click after the pause expired. The real engine runs on fake AWS ports.
 */
import { openedAfterEach } from '../teardown';
import { afterPause, scriptBlueGreen, TO_TEST_PAUSE, type FakeBlueGreen } from '../fakes/fake-blue-green';
import { sha, TEST_CONFIG_YAML, type TestEngine } from '../fakes';
import { buttonsOf, messageText, startHarness, waitFor, type Harness } from './helpers/harness';
import type { JsonDoc } from '../json';

const CONFIG = `${TEST_CONFIG_YAML.replace('access:\n', 'access:\n  promote: [U0LEAD, U0ONCALL]\n').trimEnd()}
    smoke: { testBaseUrl: https://test.api.example.com }
    blueGreen: { autoContinue: false }
`;

describe('Slack: a paused blue/green deploy', () => {
  let h: Harness;
  const opened = openedAfterEach();
  let te: TestEngine;
  let driver: FakeBlueGreen;
  /** While false, the fake clock stands still at a pause, so the pause waits for the clicks. */
  let timePasses: boolean;

  async function start(timeoutAction: 'ROLLBACK' | 'CONTINUE' = 'ROLLBACK') {
    h = opened(await startHarness({ configYaml: CONFIG }), (x) => x.close());
    te = h.fake!.te;
    timePasses = true;
    const sleep = te.clock.sleep.bind(te.clock);
    te.clock.sleep = async (ms, signal) => {
      const paused = driver.record?.hooks.some((x) => x.status === 'AWAITING_ACTION');
      if (paused && !timePasses) return new Promise((r) => setTimeout(r, 5));
      return sleep(ms, signal);
    };
    timePasses = false;
    driver = scriptBlueGreen(te, {
      strategy: 'BLUE_GREEN',
      frames: [...TO_TEST_PAUSE, ...afterPause([100])],
      hook: { timeoutAction, timeoutMs: 30 * 60_000 },
    });
    await h.command('/deploy', `backend ${sha(2).slice(0, 7)}`, 'U0DEPLOYER');
    const parent = await waitFor(
      () => h.slack.of('chat.postMessage').find((c) => !c.body.thread_ts),
      5000,
      'the parent',
    );
    const pause = await waitFor(
      () => h.slack.replies(parent.ts!).find((c) => buttonsOf(c.body).some((b) => b.action_id === 'promote')),
      10_000,
      'the pause message',
    );
    return { parent, pause };
  }

  const click = (pause: { ts?: unknown; body: JsonDoc }, actionId: 'promote' | 'rollback_paused', userId: string) => {
    const b = buttonsOf(pause.body).find((x) => x.action_id === actionId)!;
    return h.click({ actionId, value: b.value, userId, messageTs: pause.ts as string, blockId: b.block_id });
  };
  const finished = async () => {
    for (const until = Date.now() + 10_000; Date.now() < until; await new Promise((r) => setTimeout(r, 10))) {
      const done = (await te.engine.history({ service: 'backend', limit: 1 })).find((r) => r.outcome !== 'running');
      if (done) return done;
    }
    throw new Error('timed out waiting for the deploy');
  };
  const continues = () => te.world.calls.filter((c) => c.op === 'continueServiceDeployment').map((c) => c.args[3]);
  const ephemeral = (re: RegExp) =>
    waitFor(
      () => h.slack.responses().find((r) => r.body.response_type === 'ephemeral' && re.test(String(r.body.text))),
      5000,
      `an answer matching ${re}`,
    ).catch((e: unknown) => {
      throw new Error(
        `${(e as Error).message}; answers: ${JSON.stringify(h.slack.responses().map((r) => r.body.text))}`,
      );
    });

  it('posts the checks, the expiry as a Slack date and the timeout action in the thread and the parent; Shift production traffic continues', async () => {
    // Prepare
    const { parent, pause } = await start();
    const text = messageText(pause.body);
    expect(text).toContain('Test traffic checks passed');
    expect(text).toMatch(/<!date\^\d+\^\{date_short_pretty\} \{time\}\|\d{4}-\d\d-\d\d \d\d:\d\d UTC>/);
    expect(text).toContain('ECS rolls back (production stays on blue)');
    expect(buttonsOf(pause.body).map((b) => b.action_id)).toEqual(['promote', 'rollback_paused']);
    await waitFor(
      () =>
        h.slack
          .of('chat.update')
          .find((u) => u.body.ts === parent.ts && buttonsOf(u.body).some((b) => b.action_id === 'promote')),
      5000,
      'the parent with the buttons',
    );

    // Act
    await click(pause, 'promote', 'U0LEAD');

    // Assess
    timePasses = true;
    expect((await finished()).outcome).toBe('succeeded');
    expect(continues()).toEqual(['CONTINUE']);
    await waitFor(
      () =>
        h.slack
          .of('chat.update')
          .find(
            (u) =>
              u.body.ts === pause.ts && messageText(u.body).includes('<@U0LEAD> shifted production traffic to green'),
          ),
      5000,
      'the pause message marked',
    );
    await waitFor(
      () =>
        h.slack
          .of('chat.update')
          .find(
            (u) =>
              u.body.ts === parent.ts &&
              messageText(u.body).includes('succeeded') &&
              messageText(u.body).includes('production 100% green'),
          ),
      5000,
      'the parent saying production is on green',
    );
  });

  it('Roll back answers the hook with ROLLBACK: production never leaves blue', async () => {
    const { pause } = await start();
    await click(pause, 'rollback_paused', 'U0ONCALL');
    timePasses = true;
    const record = await finished();
    expect(record.outcome).toBe('rolled_back');
    expect(continues()).toEqual(['ROLLBACK']);
    expect(driver.seen.every((s) => !s.production)).toBe(true);
  });

  it('refuses a click by someone outside access.promote, ephemerally and audited, and does nothing', async () => {
    const { pause } = await start();
    await click(pause, 'promote', 'U0DEPLOYER');
    await ephemeral(/not allowed to promote backend/);
    expect(continues()).toEqual([]);
    expect(
      (await te.store.listAudit({ limit: 50 })).some((a) => a.actor.id === 'U0DEPLOYER' && a.action.includes('refus')),
    ).toBe(true);
    await click(pause, 'rollback_paused', 'U0LEAD');
    timePasses = true;
    await finished();
  });

  it('a double click answers once; the second click is told the pause was already answered', async () => {
    const { pause } = await start();
    await click(pause, 'promote', 'U0LEAD');
    await waitFor(() => continues().length === 1, 5000, 'the first answer');
    await click(pause, 'promote', 'U0ONCALL');
    await ephemeral(/already answered/);
    timePasses = true;
    expect((await finished()).outcome).toBe('succeeded');
    expect(continues()).toEqual(['CONTINUE']);
  });

  it('a click after the pause expired says what ECS did and does nothing', async () => {
    const { pause } = await start('CONTINUE');
    timePasses = true;
    await waitFor(() => driver.record?.hooks.some((x) => x.status === 'TIMED_OUT'), 10_000, 'the expiry');
    await click(pause, 'rollback_paused', 'U0LEAD');
    await ephemeral(/expired|already finished|pause is over/);
    expect(continues()).toEqual([]);
    await finished();
  });
});
