/**
 * Blue/green, linear and canary deploys followed through ECS's lifecycle stages: checks on test
 * traffic before production moves, PAUSE hooks answered (by autoContinue, a person, or the
 * timeout), the bake watched, and rollbacks as a traffic switch back to blue.
 */
import type { EngineEvent, TrafficProgress } from '../../src/engine/model';
import { CodedError, ErrorCodes } from '../../src/errors';
import { afterPause, scriptBlueGreen, GREEN_TG, TO_TEST_PAUSE, type BlueGreenScript } from '../fakes/fake-blue-green';
import { alice, bob, createTestEngine, sha, TEST_CONFIG_YAML, type TestEngine } from '../fakes';

const SHORT2 = sha(2).slice(0, 7);
const HOUR = { timeoutAction: 'ROLLBACK' as const, timeoutMs: 60 * 60_000 };

function engineWith(o: { autoContinue?: boolean; requirePromote?: boolean } = {}): TestEngine {
  const extra = [
    `    smoke: { testBaseUrl: https://test.api.example.com }`,
    `    blueGreen: { autoContinue: ${o.autoContinue ?? true} }`,
    ...(o.requirePromote ? ['    requireApproval: [promote]'] : []),
  ];
  return createTestEngine({ configYaml: `${TEST_CONFIG_YAML.trimEnd()}\n${extra.join('\n')}\n` });
}

async function deploy(t: TestEngine, script: BlueGreenScript, onEvent?: (e: EngineEvent) => void) {
  const driver = scriptBlueGreen(t, script);
  const events: EngineEvent[] = [];
  const result = await t.engine.deploy({
    service: 'backend',
    sha: SHORT2,
    actor: alice,
    onEvent: (e) => {
      events.push(e);
      onEvent?.(e);
    },
  });
  return { result, events, driver };
}

const traffic = (events: EngineEvent[]): TrafficProgress[] =>
  events.flatMap((e) => (e.type === 'traffic' ? [e.traffic] : []));
const ecsCalls = (t: TestEngine, op: string) => t.world.calls.filter((c) => c.op === op).map((c) => c.args.slice(1));
const firstIndex = (events: EngineEvent[], test: (e: EngineEvent) => boolean) => events.findIndex(test);

describe('Engine: blue/green, linear and canary deploys', () => {
  it.each([
    ['BLUE_GREEN', [100], [100]],
    ['LINEAR', [25, 50, 75, 100], [25, 50, 75, 100]],
    ['CANARY', [10, 100], [10, 100]],
  ] as const)(
    '%s with autoContinue: checks test traffic, continues by itself, reports production %j step by step, succeeds on SUCCESSFUL',
    async (strategy, steps, expected) => {
      // Prepare
      const t = engineWith();

      // Act
      const { result, events } = await deploy(t, {
        strategy,
        frames: [...TO_TEST_PAUSE, ...afterPause([...steps])],
        hook: HOUR,
      });

      // Assess
      expect(result).toMatchObject({ outcome: 'succeeded', exitCode: 0 });
      expect(ecsCalls(t, 'continueServiceDeployment')).toEqual([
        [expect.stringContaining('sd-bg'), 'hook-5', 'CONTINUE'],
      ]);
      const production = [
        ...new Set(
          traffic(events)
            .map((p) => p.production)
            .filter((p): p is number => p !== null && p > 0),
        ),
      ];
      expect(production).toEqual(expected);
      const checked = firstIndex(events, (e) => e.type === 'test_checks');
      const moved = firstIndex(events, (e) => e.type === 'traffic' && (e.traffic.production ?? 0) > 0);
      expect(checked).toBeGreaterThan(-1);
      expect(checked).toBeLessThan(moved);
      expect(t.http.runs.find((r) => r.traffic === 'test')).toMatchObject({ expectSha: SHORT2 });
      expect(events.find((e) => e.type === 'paused')).toMatchObject({
        pause: { hookId: 'hook-5', timeoutAction: 'ROLLBACK', passed: true, autoContinue: true },
      });
      expect(events.find((e) => e.type === 'hook_answered')).toMatchObject({
        action: 'CONTINUE',
        by: 'blueGreen.autoContinue',
      });
      expect(traffic(events).some((p) => p.stage === 'BAKE_TIME' && p.bakeLeftMs !== null)).toBe(true);
      // Green serves from the alternate target group: that is the one checked after the switch.
      expect(t.world.calls.filter((c) => c.op === 'describeTargetHealth').map((c) => c.args[1])).toContain(GREEN_TG);
      expect(result.phases.find((p) => p.name === 'rollout')!.detail).toContain('judged by the service deployment');
    },
  );

  it.each([
    ['a paused deployment', true, 'continueServiceDeployment', [expect.any(String), 'hook-5', 'ROLLBACK']],
    ['a deployment without a pause hook', false, 'stopServiceDeployment', [expect.any(String), 'ROLLBACK']],
  ] as const)('a failure on test traffic rolls back %s before production moves', async (_name, paused, call, args) => {
    const t = engineWith();
    t.http.failingOnTest.set('readiness', { severity: 'fail', reason: 'HTTP 500' });
    const frames = TO_TEST_PAUSE.map((f) => ({ ...f, pause: paused && f.pause }));
    const { result, events, driver } = await deploy(t, {
      strategy: 'BLUE_GREEN',
      frames: [...frames, ...afterPause([100])],
      hook: paused ? HOUR : undefined,
    });
    expect(result).toMatchObject({ outcome: 'rolled_back', exitCode: 1 });
    expect(ecsCalls(t, call)).toEqual([args]);
    expect(driver.seen.every((s) => (s.production ?? 0) === 0)).toBe(true);
    expect(result.failure!.reason).toContain('green failed on test traffic');
    expect(result.failure!.reason).toContain('production traffic never moved to green');
    expect(result.phases.find((p) => p.name === 'rollback')!.detail).toContain(
      'production traffic switched back to blue',
    );
    expect(events.find((e) => e.type === 'test_checks')).toMatchObject({ passed: false });
    expect(ecsCalls(t, 'updateService')).toHaveLength(1); // no second deployment: a traffic switch
  });

  it.each([
    ['an alarm', { alarm: true }, 'backend-5xx in ALARM'],
    ['failing smoke on production', { sick: true }, 'smoke on production'],
  ] as const)(
    'during the bake, %s rolls back at once through StopServiceDeployment and says how long production was on green',
    async (_name, bad, why) => {
      const t = engineWith();
      const { result } = await deploy(t, {
        strategy: 'BLUE_GREEN',
        frames: [...TO_TEST_PAUSE, ...afterPause([100], [{}, bad, {}, {}])],
        hook: HOUR,
      });
      expect(result).toMatchObject({ outcome: 'rolled_back', exitCode: 1 });
      expect(ecsCalls(t, 'stopServiceDeployment')).toEqual([[expect.any(String), 'ROLLBACK']]);
      expect(result.failure!.reason).toContain(why);
      expect(result.failure!.reason).toMatch(/production traffic was on the failed release for \d+s/);
      expect(result.finalTaskDefinition).toMatch(/backend-prod:1$/);
    },
  );

  it.each([
    ['ROLLBACK', 'rolled_back', 1, /nobody answered the pause before it expired.*timeout action ROLLBACK/],
    ['CONTINUE', 'succeeded', 0, /verified/],
  ] as const)(
    'a pause nobody answers times out with %s: the deploy ends %s',
    async (timeoutAction, outcome, exitCode, text) => {
      const t = engineWith({ autoContinue: false });
      const { result, events } = await deploy(t, {
        strategy: 'BLUE_GREEN',
        frames: [...TO_TEST_PAUSE, ...afterPause([100])],
        hook: { timeoutAction, timeoutMs: 60_000 },
      });
      expect(result).toMatchObject({ outcome, exitCode });
      expect(outcome === 'succeeded' ? result.summary : result.failure!.reason).toMatch(text);
      expect(ecsCalls(t, 'continueServiceDeployment')).toEqual([]);
      expect(events.find((e) => e.type === 'hook_answered')).toMatchObject({ action: timeoutAction, by: 'timeout' });
    },
  );

  it('ECS rolling back by itself with its rollback failing ends rollback_failed (exit 3)', async () => {
    const t = engineWith();
    const { result } = await deploy(t, {
      strategy: 'BLUE_GREEN',
      frames: [...TO_TEST_PAUSE, ...afterPause([100], [{}, { alarm: true }])],
      hook: HOUR,
      rollbackFails: true,
    });
    expect(result).toMatchObject({ outcome: 'rollback_failed', exitCode: 3 });
  });

  it.each([
    ['promote', 'CONTINUE', 'succeeded'],
    ['rollbackPaused', 'ROLLBACK', 'rolled_back'],
  ] as const)(
    'a person answers the pause with %s: ECS gets %s for our hook; the deploy ends %s; audited',
    async (method, action, outcome) => {
      const t = engineWith({ autoContinue: false });
      const answers: unknown[] = [];
      const { result, events } = await deploy(
        t,
        { strategy: 'BLUE_GREEN', frames: [...TO_TEST_PAUSE, ...afterPause([100])], hook: HOUR },
        (e) => {
          if (e.type === 'paused')
            void t.engine[method]({
              service: 'backend',
              actor: bob,
              changeId: e.changeId,
              hookId: e.pause.hookId,
            }).then((a) => answers.push(a));
        },
      );
      expect(result.outcome).toBe(outcome);
      expect(answers).toEqual([expect.objectContaining({ ok: true, action })]);
      expect(ecsCalls(t, 'continueServiceDeployment')).toEqual([[expect.any(String), 'hook-5', action]]);
      expect(events.find((e) => e.type === 'hook_answered')).toMatchObject({ action, by: 'bob' });
      expect(
        (await t.store.listAudit({ service: 'backend', limit: 50 })).find((a) => a.action === 'promote'),
      ).toMatchObject({ actor: { name: 'bob' }, details: { action, hookId: 'hook-5' } });
    },
  );

  it('refuses a second answer, a stale hook, an expired pause and a service with nothing paused, doing nothing', async () => {
    const t = engineWith({ autoContinue: false });
    const answers: { ok: boolean; code?: string }[] = [];
    await deploy(t, { strategy: 'BLUE_GREEN', frames: [...TO_TEST_PAUSE, ...afterPause([100])], hook: HOUR }, (e) => {
      if (e.type !== 'paused') return;
      const req = { service: 'backend', actor: bob, changeId: e.changeId, hookId: e.pause.hookId };
      void (async () => {
        answers.push(await t.engine.promote({ ...req, hookId: 'hook-old' }));
        answers.push(await t.engine.promote(req));
        answers.push(await t.engine.promote(req));
      })();
    });
    expect(answers.map((a) => a.ok || a.code)).toEqual(['moved_on', true, 'moved_on']);
    expect(await t.engine.promote({ service: 'backend', actor: bob })).toMatchObject({ ok: false, code: 'not_paused' });
    expect(ecsCalls(t, 'continueServiceDeployment')).toHaveLength(1);
    expect(
      (await t.store.listAudit({ service: 'backend', limit: 50 })).filter((a) => a.action === 'promote.refused'),
    ).toHaveLength(3);
  });

  it('a service that requires a second person for promote waits for a different one', async () => {
    const t = engineWith({ autoContinue: false, requirePromote: true });
    const carol = { id: 'U0CAROL', name: 'carol', via: 'slack' as const };
    const answers: { ok: boolean; code?: string }[] = [];
    const { result } = await deploy(
      t,
      { strategy: 'BLUE_GREEN', frames: [...TO_TEST_PAUSE, ...afterPause([100])], hook: HOUR },
      (e) => {
        if (e.type !== 'paused') return;
        const req = { service: 'backend', changeId: e.changeId, hookId: e.pause.hookId };
        void (async () => {
          for (const actor of [bob, bob, carol]) answers.push(await t.engine.promote({ ...req, actor }));
        })();
      },
    );
    expect(answers.map((a) => a.ok || a.code)).toEqual(['needs_second_person', 'same_person', true]);
    expect(result.outcome).toBe('succeeded');
  });

  it('a hook that expired while waiting is refused with what ECS did', async () => {
    const t = engineWith({ autoContinue: false });
    const answers: { ok: boolean; code?: string }[] = [];
    await deploy(
      t,
      {
        strategy: 'BLUE_GREEN',
        frames: [...TO_TEST_PAUSE, ...afterPause([100])],
        hook: { timeoutAction: 'CONTINUE', timeoutMs: 60_000 },
      },
      (e) => {
        if (e.type === 'hook_answered')
          void t.engine
            .promote({ service: 'backend', actor: bob, changeId: e.changeId, hookId: e.hookId })
            .then((a) => answers.push(a as never));
      },
    );
    expect(answers).toEqual([expect.objectContaining({ ok: false, code: 'expired' })]);
  });

  it('a blue/green deployment whose reads fail to the end of its budget says it could not read the service, and for how long', async () => {
    const t = engineWith();
    const describe = t.world.ecs.describeServices;
    let reads = 0;
    t.world.ecs.describeServices = async (...args) => {
      // The first reads answer (ECS shows our deployment); then ECS answers 500 for good.
      if (++reads > 4)
        throw new CodedError(ErrorCodes.awsError, 'ServerException: internal error', { details: { transient: true } });
      return describe(...args);
    };
    const { result } = await deploy(t, {
      strategy: 'BLUE_GREEN',
      frames: [...TO_TEST_PAUSE, ...afterPause([100])],
      hook: HOUR,
    });
    expect(result.outcome).not.toBe('succeeded');
    expect(result.failure?.reason).toMatch(
      /did not finish within .*; could not read the service for \d+\s*\w*: .*ServerException/,
    );
  });
});
