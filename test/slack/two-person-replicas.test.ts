/**
 * A blue/green pause that needs two people, answered on two bot replicas (two Bolt apps with
 * their own engines on one store and one AWS world), through Bolt's HTTP receiver with signed
 * requests. The first click may land on one replica and the second on the other; the same person
 * twice is refused, a ROLLBACK click never completes a CONTINUE request, and production moves
 * exactly once.
 */
import { Engine } from '../../src/engine/engine';
import { silentLogger } from '../../src/logger';
import { afterPause, scriptBlueGreen, TO_TEST_PAUSE, type FakeBlueGreen } from '../fakes/fake-blue-green';
import { FakeHttpChecks, sha, TEST_CONFIG_YAML, type TestEngine } from '../fakes';
import { buttonsOf, messageText, startHarness, waitFor, type Harness } from './helpers/harness';

const CONFIG = `${TEST_CONFIG_YAML.replace('access:\n', 'access:\n  promote: [U0LEAD, U0ONCALL]\n').trimEnd()}
    smoke: { testBaseUrl: https://test.api.example.com }
    blueGreen: { autoContinue: false }
    requireApproval: [promote]
`;

interface SlackMessageCall {
  ts?: unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a recorded Slack call body, read loosely as the harness helpers do
  body: Record<string, any>;
}

describe('Slack: a two-person pause answered on two replicas', () => {
  let a: Harness;
  let b: Harness | undefined;
  let te: TestEngine;
  let driver: FakeBlueGreen;
  let timePasses = false;

  afterEach(async () => {
    await b?.close();
    await a.close();
  });

  async function start(): Promise<{ pause: SlackMessageCall }> {
    a = await startHarness({ configYaml: CONFIG });
    te = a.fake!.te;
    const sleep = te.clock.sleep.bind(te.clock);
    te.clock.sleep = async (ms, signal) => {
      const paused = driver.record?.hooks.some((x) => x.status === 'AWAITING_ACTION');
      if (paused && !timePasses) return new Promise((r) => setTimeout(r, 5));
      return sleep(ms, signal);
    };
    driver = scriptBlueGreen(te, {
      strategy: 'BLUE_GREEN',
      frames: [...TO_TEST_PAUSE, ...afterPause([100])],
      hook: { timeoutAction: 'ROLLBACK', timeoutMs: 30 * 60_000 },
    });
    // Replica B: its own engine (a fresh process as far as the answer goes) on the same store and AWS.
    b = await startHarness({
      configYaml: CONFIG,
      engine: (config) =>
        new Engine({
          config,
          ecr: te.world.ecr,
          ecs: te.world.ecs,
          elb: te.world.elb,
          logs: te.world.logsPort,
          http: new FakeHttpChecks(te.world),
          store: te.store,
          clock: te.clock,
          logger: silentLogger(),
          owner: 'replica-b',
        }),
    });
    await a.command('/deploy', `backend ${sha(2).slice(0, 7)}`, 'U0DEPLOYER');
    const parent = await waitFor(
      () => a.slack.of('chat.postMessage').find((c) => !c.body.thread_ts),
      5000,
      'the parent',
    );
    const pause = await waitFor(
      () => a.slack.replies(parent.ts!).find((c) => buttonsOf(c.body).some((x) => x.action_id === 'promote')),
      10_000,
      'the pause message',
    );
    return { pause };
  }

  /** The pause message as Slack shows it now: the last update either replica made, else as posted. */
  function current(pause: SlackMessageCall): SlackMessageCall {
    const updates = [...a.slack.of('chat.update'), ...(b?.slack.of('chat.update') ?? [])].filter(
      (u) => u.body.ts === pause.ts,
    );
    return updates.at(-1) ?? pause;
  }

  const click = (on: Harness, pause: SlackMessageCall, actionId: 'promote' | 'rollback_paused', userId: string) => {
    const shown = current(pause);
    const button = buttonsOf(pause.body).find((x) => x.action_id === actionId)!;
    return on.click({
      actionId,
      value: button.value,
      userId,
      messageTs: pause.ts as string,
      blockId: button.block_id,
      blocks: shown.body.blocks as unknown[],
    });
  };
  const answered = (on: Harness, re: RegExp) =>
    waitFor(
      () => on.slack.responses().find((r) => r.body.response_type === 'ephemeral' && re.test(String(r.body.text))),
      5000,
      `an answer matching ${re}`,
    );
  const continues = () => te.world.calls.filter((c) => c.op === 'continueServiceDeployment').map((c) => c.args[3]);
  const finished = async () => {
    for (const until = Date.now() + 10_000; Date.now() < until; await new Promise((r) => setTimeout(r, 10))) {
      const done = (await te.engine.history({ service: 'backend', limit: 1 })).find((r) => r.outcome !== 'running');
      if (done) return done;
    }
    throw new Error('timed out waiting for the deploy');
  };

  it('completes on the other replica with a second person, refuses the first twice, and continues once', async () => {
    // Prepare
    const { pause } = await start();

    // Act 1: Bob (U0LEAD) asks on replica A.
    await click(a, pause, 'promote', 'U0LEAD');

    // Assess 1: recorded, nothing sent to ECS; the pause message says so in place, buttons kept.
    await answered(a, /Recorded: .* asks to shift production traffic/);
    const marked = await waitFor(
      () =>
        a.slack
          .of('chat.update')
          .find(
            (u) =>
              u.body.ts === pause.ts &&
              messageText(u.body).includes('1 of 2: <@U0LEAD> asked to shift production traffic'),
          ),
      5000,
      'the pause message saying 1 of 2',
    );
    expect(buttonsOf(marked.body).map((x) => x.action_id)).toEqual(['promote', 'rollback_paused']);
    expect(continues()).toEqual([]);

    // Act 2 + Assess 2: the same person on replica B is refused; nothing moves.
    await click(b!, pause, 'promote', 'U0LEAD');
    await answered(b!, /You already asked to shift production traffic/);
    expect(continues()).toEqual([]);

    // Act 3 + Assess 3: a ROLLBACK click by another person starts its own request; it completes nothing.
    await click(b!, pause, 'rollback_paused', 'U0ONCALL');
    await answered(b!, /Recorded: .* asks to roll back/);
    expect(continues()).toEqual([]);

    // Act 4 + Assess 4: a second person presses the same button on replica B: production moves, once.
    await click(b!, pause, 'promote', 'U0ONCALL');
    await waitFor(() => continues().length === 1, 5000, 'the answer');
    expect(continues()).toEqual(['CONTINUE']);
    await waitFor(
      () =>
        b!.slack
          .of('chat.update')
          .find(
            (u) =>
              u.body.ts === pause.ts &&
              messageText(u.body).includes('<@U0ONCALL> shifted production traffic to green (asked by <@U0LEAD>)') &&
              !messageText(u.body).includes('1 of 2') &&
              buttonsOf(u.body).length === 0,
          ),
      5000,
      'the pause message marked done on replica B',
    );

    // Act 5 + Assess 5: Bob's ROLLBACK click on replica A would complete the ROLLBACK request, but the pause is answered.
    // (By then ECS may have moved on, or the deploy finished: each is told, and nothing is done.)
    await click(a, pause, 'rollback_paused', 'U0LEAD');
    await answered(a, /already answered|pause is over|already finished/);
    timePasses = true;
    expect((await finished()).outcome).toBe('succeeded');
    expect(continues()).toEqual(['CONTINUE']);
  });
});
