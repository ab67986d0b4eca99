/**
 * A blue/green deploy whose process stopped mid-flight is resumed by another process after the
 * lease ran out, and followed stage by stage as a fresh deploy is: the checks on test traffic,
 * the pause (answered by autoContinue or a person), the bake, and a rollback as a traffic switch.
 */
import { join } from 'node:path';
import type { EngineEvent } from '../../src/engine/model';
import type { EcsPort } from '../../src/engine/ports';
import { LEASE_TTL_MS } from '../../src/engine/store-port';
import { openStore } from '../../src/store';
import { afterPause, scriptBlueGreen, TO_TEST_PAUSE, type FakeBlueGreen } from '../fakes/fake-blue-green';
import { alice, bob, createTestEngine, sha, TEST_CONFIG_YAML, type TestEngine } from '../fakes';
import { makeTempDir, type TempDir } from '../store/temp-db';

const SHORT2 = sha(2).slice(0, 7);
const HOUR = { timeoutAction: 'ROLLBACK' as const, timeoutMs: 60 * 60_000 };

const configYaml = (autoContinue: boolean) =>
  `${TEST_CONFIG_YAML.trimEnd()}\n    smoke: { testBaseUrl: https://test.api.example.com }\n    blueGreen: { autoContinue: ${autoContinue} }\n`;

/** Each crash's database folder, removed after its test whatever the test's outcome. */
const temps: TempDir[] = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.remove();
});

/** An ECS port that stops answering (every call hangs) once the process "dies". */
function dyingEcs(ecs: EcsPort): { port: EcsPort; die: () => void } {
  let dead = false;
  const port = new Proxy(ecs, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        dead ? new Promise(() => undefined) : (value as (...a: unknown[]) => unknown).apply(target, args);
    },
  });
  return { port, die: () => (dead = true) };
}

interface Crash {
  first: TestEngine;
  driver: FakeBlueGreen;
  path: string;
  changeId: string;
}

/** A blue/green deploy whose process dies (no more AWS calls, no more lease renewals) at TEST_TRAFFIC_SHIFT. */
async function crashedAtTestTrafficShift(autoContinue: boolean): Promise<Crash> {
  const temp = makeTempDir('ecs-chatops-bg-resume-');
  temps.push(temp);
  const path = join(temp.dir, 'state.db');
  const store = openStore(path);
  let ecs!: ReturnType<typeof dyingEcs>;
  const first = createTestEngine({
    store,
    owner: 'host-a:1a2b3c4d',
    configYaml: configYaml(autoContinue),
    ecs: (world) => (ecs = dyingEcs(world.ecs)).port,
  });
  const driver = scriptBlueGreen(first, {
    strategy: 'BLUE_GREEN',
    frames: [...TO_TEST_PAUSE, ...afterPause([100])],
    hook: HOUR,
  });
  let changeId = '';
  const died = new Promise<void>((resolve) => {
    void first.engine.deploy({
      service: 'backend',
      sha: SHORT2,
      actor: alice,
      onEvent: (e) => {
        changeId = e.changeId;
        if (e.type !== 'traffic' || e.traffic.stage !== 'TEST_TRAFFIC_SHIFT') return;
        ecs.die();
        void store.close();
        resolve();
      },
    });
  });
  await died;
  return { first, driver, path, changeId };
}

/** Another process on the same store file and AWS account, once the first one's lease ran out. */
function anotherProcessAfterLease(crash: Crash, autoContinue: boolean): TestEngine {
  const other = createTestEngine({
    store: openStore(crash.path),
    owner: 'host-b:00000001',
    world: crash.first.world,
    seed: false,
    http: () => crash.first.http,
    configYaml: configYaml(autoContinue),
  });
  other.clock.advance(LEASE_TTL_MS + 1);
  return other;
}

const ecsCalls = (t: TestEngine, op: string) => t.world.calls.filter((c) => c.op === op).map((c) => c.args.slice(1));

describe('Engine: resuming a blue/green deploy after its process stopped', () => {
  it('follows the deployment from TEST_TRAFFIC_SHIFT: checks test traffic, continues by itself, and succeeds on SUCCESSFUL', async () => {
    // Prepare
    const crash = await crashedAtTestTrafficShift(true);
    expect(crash.first.http.runs).toEqual([]);
    const b = anotherProcessAfterLease(crash, true);
    const events: EngineEvent[] = [];

    // Act
    const resumed = await b.engine.recover((e) => events.push(e));

    // Assess
    expect(resumed).toEqual([expect.objectContaining({ deployId: crash.changeId, outcome: 'succeeded', exitCode: 0 })]);
    expect(b.http.runs.filter((r) => r.traffic === 'test')).toEqual([expect.objectContaining({ expectSha: SHORT2 })]);
    expect(events.find((e) => e.type === 'test_checks')).toMatchObject({ passed: true });
    expect(events.find((e) => e.type === 'paused')).toMatchObject({ pause: { hookId: 'hook-5', autoContinue: true } });
    expect(ecsCalls(b, 'continueServiceDeployment')).toEqual([
      [expect.stringContaining('sd-bg'), 'hook-5', 'CONTINUE'],
    ]);
    expect(events.some((e) => e.type === 'traffic' && e.traffic.stage === 'BAKE_TIME')).toBe(true);
    expect(crash.driver.record!.status).toBe('SUCCESSFUL');
    expect(resumed[0].phases.find((p) => p.name === 'rollout')!.detail).toContain('judged by the service deployment');
    expect(ecsCalls(b, 'updateService')).toHaveLength(1); // the first process's only
    expect((await b.store.getDeploy(crash.changeId))!.outcome).toBe('succeeded');
    expect(await b.store.getLock('backend')).toBeUndefined();
  });

  it('rolls back at the pause when green fails on test traffic after the resume; production never on green', async () => {
    // Prepare
    const crash = await crashedAtTestTrafficShift(true);
    const b = anotherProcessAfterLease(crash, true);
    b.http.failingOnTest.set('readiness', { severity: 'fail', reason: 'HTTP 500' });

    // Act
    const [result] = await b.engine.recover();

    // Assess
    expect(result).toMatchObject({ deployId: crash.changeId, outcome: 'rolled_back', exitCode: 1 });
    expect(ecsCalls(b, 'continueServiceDeployment')).toEqual([
      [expect.stringContaining('sd-bg'), 'hook-5', 'ROLLBACK'],
    ]);
    expect(crash.driver.seen.every((s) => (s.production ?? 0) === 0)).toBe(true);
    expect(result.failure!.reason).toContain('green failed on test traffic');
    expect(result.failure!.reason).toContain('production traffic never moved to green');
    expect(result.phases.find((p) => p.name === 'rollback')!.detail).toContain(
      'production traffic switched back to blue',
    );
    expect(ecsCalls(b, 'updateService')).toHaveLength(1); // a traffic switch, no new deployment
    expect(result.finalTaskDefinition).toMatch(/backend-prod:1$/);
  });

  it('waits at the pause for a person when autoContinue is off, and follows their CONTINUE to the end', async () => {
    // Prepare
    const crash = await crashedAtTestTrafficShift(false);
    const b = anotherProcessAfterLease(crash, false);
    const answers: unknown[] = [];

    // Act
    const [result] = await b.engine.recover((e) => {
      if (e.type === 'paused')
        void b.engine
          .promote({ service: 'backend', actor: bob, changeId: e.changeId, hookId: e.pause.hookId })
          .then((a) => answers.push(a));
    });

    // Assess
    expect(result).toMatchObject({ outcome: 'succeeded', exitCode: 0 });
    expect(answers).toEqual([expect.objectContaining({ ok: true, action: 'CONTINUE', changeId: crash.changeId })]);
    expect(ecsCalls(b, 'continueServiceDeployment')).toEqual([[expect.any(String), 'hook-5', 'CONTINUE']]);
  });
  it('verifies blue without a new deployment when ECS switched traffic back while nobody watched', async () => {
    // Prepare: the pause timed out with ROLLBACK before anyone resumed; blue serves alone again
    const crash = await crashedAtTestTrafficShift(true);
    const blue = crash.driver.record!.sourceTaskDefinitions[0];
    crash.driver.record!.status = 'ROLLBACK_SUCCESSFUL';
    crash.first.world.service().deployments = [
      {
        id: 'ecs-svc/blue',
        status: 'PRIMARY',
        taskDefinition: blue,
        desiredCount: 2,
        runningCount: 2,
        pendingCount: 0,
        failedTasks: 0,
        rolloutState: 'COMPLETED',
      },
    ];
    const b = anotherProcessAfterLease(crash, true);

    // Act
    const [result] = await b.engine.recover();

    // Assess
    expect(result).toMatchObject({ outcome: 'rolled_back', exitCode: 1, finalTaskDefinition: blue });
    expect(result.phases.find((p) => p.name === 'rollback')!.detail).toContain('ECS rolled back by itself');
    expect(ecsCalls(b, 'updateService')).toHaveLength(1);
    expect(ecsCalls(b, 'stopServiceDeployment')).toEqual([]);
  });
});
