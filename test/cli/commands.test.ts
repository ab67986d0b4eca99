import { PassThrough } from 'node:stream';
import type { RuntimeFactory } from '../../src/cli/context';
import type { EngineApi, PauseAnswerRequest } from '../../src/engine/api';
import { CodedError, ErrorCodes } from '../../src/errors';
import { alice, createTestEngine, sha, TEST_CONFIG_YAML, type TestEngine } from '../fakes';
import { afterPause, scriptBlueGreen, TO_TEST_PAUSE } from '../fakes/fake-blue-green';
import { run, tempDir } from './helpers';

const SHORT2 = sha(2).slice(0, 7);

/** A fake terminal that answers the confirmation prompt. */
function ttyAnswering(answer: string): NodeJS.ReadableStream & { isTTY: boolean } {
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  setImmediate(() => stdin.end(`${answer}\n`));
  return stdin;
}

describe('CLI commands against the engine on fake ports', () => {
  const tmp = tempDir();
  const config = tmp.file('ecs-chatops.yml', TEST_CONFIG_YAML);
  let t: TestEngine;
  let built: number;
  const createRuntime: RuntimeFactory = async () => {
    built += 1;
    return { config: t.config, engine: t.engine, store: t.store, close: async () => undefined };
  };
  const cli = (argv: string[], stdin?: NodeJS.ReadableStream) =>
    run(['--config', config, ...argv], { createRuntime, stdin });

  beforeEach(async () => {
    t = createTestEngine();
    built = 0;
  });
  afterAll(() => tmp.cleanup());

  describe('deploy', () => {
    it('exits 0 with the ChangeResult on stdout and the progress on stderr', async () => {
      // Act
      const out = await cli(['deploy', 'backend', SHORT2, '--json']);

      // Assess
      expect(out.code).toBe(0);
      const result = JSON.parse(out.stdout);
      expect(result).toMatchObject({
        ok: true,
        outcome: 'succeeded',
        exitCode: 0,
        service: 'backend',
        sha: SHORT2,
        error: null,
      });
      expect(result.toTaskDefinition).toMatch(/backend-prod:2$/);
      expect(out.stderr).toMatch(/✓ rollout\s+\S+/);
      expect(out.stderr).toContain('✓ Deploy succeeded');
      expect(out.stderr).toMatch(/running now:\s+backend-prod:2/);
      expect((await t.engine.history({ service: 'backend' }))[0].actor).toMatchObject({
        via: 'cli',
        id: expect.stringMatching(/^cli:/),
      });
    });

    it('exits 1 when the circuit breaker rolled the deployment back, and says so', async () => {
      t.world.next = 'circuit-breaker';
      const out = await cli(['deploy', 'backend', SHORT2]);
      expect(out.code).toBe(1);
      expect(out.stderr).toContain('previous release was restored');
      expect(out.stderr).toMatch(/running now:\s+backend-prod:1/);
      expect(out.stdout).toBe('');
    });

    it('shows the plan with --dry-run and writes nothing', async () => {
      const out = await cli(['deploy', 'backend', SHORT2, '--dry-run']);
      expect(out.code).toBe(0);
      expect(out.stdout).toContain(`dry run: deploy backend ${SHORT2} (nothing was changed)`);
      expect(out.stdout).toMatch(/digest:\s+sha256:2{64}/);
      expect(out.stdout).toMatch(/revision:\s+backend-prod:1 → backend-prod:/);
      expect(out.stdout).toContain('task-definition diff:');
      expect(t.world.writes()).toEqual([]);
    });

    it('exits 2 for an image that does not exist, naming the tag', async () => {
      const out = await cli(['deploy', 'backend', 'abcdef1', '--json']);
      expect(out.code).toBe(2);
      expect(JSON.parse(out.stdout)).toMatchObject({ outcome: 'invalid', error: { code: 'image_not_found' } });
      expect(t.world.writes()).toEqual([]);
    });

    it('exits 4 when another change holds the lock, naming the holder', async () => {
      await t.store.acquireLock(
        {
          service: 'backend',
          action: 'deploy',
          changeId: 'other',
          actor: { id: 'U0BOB', name: 'bob', via: 'slack' },
          owner: 'test-host:1',
          acquiredAt: new Date(t.clock.now()).toISOString(),
          leaseExpiresAt: new Date(t.clock.now() + 30_000).toISOString(),
        },
        new Date(t.clock.now()),
      );
      const out = await cli(['deploy', 'backend', SHORT2]);
      expect(out.code).toBe(4);
      expect(out.stderr).toMatch(/bob/);
      expect(t.world.writes()).toEqual([]);
    });
  });

  describe('rollback', () => {
    it('rolls back to the previous release: exit 0 and the old revision runs again', async () => {
      await cli(['deploy', 'backend', SHORT2]);
      const out = await cli(['rollback', 'backend', '--json']);
      expect(out.code).toBe(0);
      expect(JSON.parse(out.stdout)).toMatchObject({ ok: true, kind: 'rollback', outcome: 'succeeded' });
      expect(t.world.primary().taskDefinition).toMatch(/backend-prod:1$/);
    });

    it('rolls back to a revision given by number or family:N', async () => {
      await cli(['deploy', 'backend', SHORT2]);
      const byNumber = await cli(['rollback', 'backend', '--to', '1', '--json']);
      expect(byNumber.code).toBe(0);
      expect(JSON.parse(byNumber.stdout).finalTaskDefinition).toMatch(/backend-prod:1$/);
      const byName = await cli(['rollback', 'backend', '--to', 'backend-prod:2', '--json']);
      expect(byName.code).toBe(0);
      expect(JSON.parse(byName.stdout).finalTaskDefinition).toMatch(/backend-prod:2$/);
    });
  });

  describe('rollback at a pause', () => {
    it('answers ROLLBACK for the pause it found, naming its change and hook', async () => {
      // Prepare: a blue/green deploy waiting at its PAUSE hook for a person; the engine records what it is asked.
      t = createTestEngine({
        configYaml: `${TEST_CONFIG_YAML.trimEnd()}\n    smoke: { testBaseUrl: https://test.api.example.com }\n    blueGreen: { autoContinue: false }\n`,
      });
      scriptBlueGreen(t, {
        strategy: 'BLUE_GREEN',
        frames: [...TO_TEST_PAUSE, ...afterPause([100])],
        hook: { timeoutAction: 'CONTINUE', timeoutMs: 24 * 3_600_000 },
      });
      const asked: PauseAnswerRequest[] = [];
      const engine = new Proxy(t.engine, {
        get: (target, key) =>
          key === 'rollbackPaused'
            ? (request: PauseAnswerRequest) => (asked.push(request), target.rollbackPaused(request))
            : Reflect.get(target, key),
      }) as EngineApi;
      const createRuntime: RuntimeFactory = async () => ({
        config: t.config,
        engine,
        store: t.store,
        close: async () => undefined,
      });
      let answered: ReturnType<typeof run> | undefined;

      // Act
      const deploy = await t.engine.deploy({
        service: 'backend',
        sha: SHORT2,
        actor: alice,
        onEvent: (e) => {
          if (e.type === 'paused')
            answered ??= run(['--config', config, 'rollback', 'backend', '--json'], { createRuntime });
        },
      });
      const out = await answered!;

      // Assess
      expect(out.code).toBe(0);
      expect(JSON.parse(out.stdout)).toMatchObject({
        ok: true,
        action: 'ROLLBACK',
        changeId: deploy.deployId,
        hookId: 'hook-5',
      });
      expect(asked).toEqual([
        expect.objectContaining({ service: 'backend', changeId: deploy.deployId, hookId: 'hook-5' }),
      ]);
      expect(deploy.outcome).toBe('rolled_back');
    });
  });

  describe('stop and restart', () => {
    it('stops with --yes, keeps the count, and restart restores it', async () => {
      // Act
      const stop = await cli(['stop', 'backend', '--reason', 'database on fire', '--yes']);
      const restart = await cli(['restart', 'backend', '--yes', '--json']);

      // Assess
      expect(stop.code).toBe(0);
      expect(t.world.service().desired).toBe(2);
      expect(restart.code).toBe(0);
      expect(JSON.parse(restart.stdout)).toMatchObject({ ok: true, exitCode: 0, desired: 2 });
    });

    it('asks on a terminal and changes nothing when the answer is no', async () => {
      const out = await cli(['stop', 'backend', '--reason', 'test'], ttyAnswering('n'));
      expect(out.code).toBe(2);
      expect(out.stderr).toContain('set its desired count to 0? [y/N]');
      expect(out.stderr).toContain('cancelled');
      expect(t.world.writes()).toEqual([]);
      expect(built).toBe(0);
    });

    it('goes ahead on a terminal when the answer is yes', async () => {
      const out = await cli(['stop', 'backend', '--reason', 'test'], ttyAnswering('y'));
      expect(out.code).toBe(0);
      expect(t.world.writes().map((c) => c.op)).toEqual(['updateService']);
    });

    it('refuses a restart with exit 2 when no count was kept and none is given', async () => {
      const out = await cli(['restart', 'backend', '--yes']);
      expect(out.code).toBe(2);
      expect(out.stderr).toContain('pass --count N');
      expect(t.world.writes()).toEqual([]);
    });
  });

  describe('promote', () => {
    it('exits 4 when nothing is paused, saying so', async () => {
      const out = await cli(['promote', 'backend', '--json']);
      expect(out.code).toBe(4);
      expect(JSON.parse(out.stdout)).toMatchObject({
        ok: false,
        exitCode: 4,
        service: 'backend',
        action: 'CONTINUE',
        error: { code: 'not_paused' },
      });
    });

    it('keeps the code of an error that is not bad input: exit 3 when ECS fails unexpectedly', async () => {
      // Prepare
      t.world.failNext.set('listServiceDeployments', [new CodedError(ErrorCodes.throttled, 'Rate exceeded')]);

      // Act
      const out = await cli(['promote', 'backend', '--json']);

      // Assess
      expect(out.code).toBe(3);
      expect(JSON.parse(out.stdout)).toMatchObject({
        ok: false,
        outcome: 'failed',
        exitCode: 3,
        service: 'backend',
        action: 'CONTINUE',
        error: { code: 'throttled', message: 'Rate exceeded' },
      });
    });

    it('exits 2 for an unknown service with its own code', async () => {
      const out = await cli(['promote', 'nosuch', '--json']);
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(/^ecs-chatops: .*nosuch/);
      expect(JSON.parse(out.stdout)).toMatchObject({
        ok: false,
        outcome: 'invalid',
        exitCode: 2,
        service: 'nosuch',
        action: 'CONTINUE',
        error: { code: 'unknown_service' },
      });
    });
  });

  it('promote without --json says a thrown error on stderr, as every verb does, and nothing on stdout', async () => {
    const out = await cli(['promote', 'nosuch']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^ecs-chatops: .*nosuch/);
    expect(out.stdout).toBe('');
  });

  describe('read-only verbs', () => {
    it('status shows family:revision, digest prefix, running/desired and rollout state', async () => {
      const out = await cli(['status', 'backend']);
      expect(out.code).toBe(0);
      expect(out.stdout).toMatch(/task definition:\s+backend-prod:1/);
      expect(out.stdout).toMatch(/digest:\s+1{12}\n/);
      expect(out.stdout).toMatch(/running\/desired:\s+2\/2/);
      expect(out.stdout).toMatch(/PRIMARY\s+backend-prod:1\s+2\/2\s+COMPLETED/);
      expect(out.stdout).toContain('has reached a steady state');
    });

    it('status --json keeps ok, exitCode and error beside the data', async () => {
      const out = await cli(['--json', 'status', 'backend']);
      expect(JSON.parse(out.stdout)).toMatchObject({ ok: true, exitCode: 0, error: null, revision: 'backend-prod:1' });
    });

    it('history lists changes in an aligned table, newest first', async () => {
      await cli(['deploy', 'backend', SHORT2]);
      const out = await cli(['history']);
      expect(out.code).toBe(0);
      const [header, row] = out.stdout.trim().split('\n');
      expect(header).toMatch(/^STARTED\s+SERVICE\s+KIND\s+SHA\s+OUTCOME/);
      expect(row).toMatch(/backend\s+deploy\s+2222222\s+succeeded/);
      expect(header.indexOf('OUTCOME')).toBe(row.indexOf('succeeded'));
    });

    it('smoke exits 1 when a fail-severity check fails', async () => {
      t.http.failing.set('liveness', { severity: 'fail', reason: 'HTTP 503' });
      const out = await cli(['smoke', 'backend']);
      expect(out.code).toBe(1);
      expect(out.stdout).toContain('smoke tests FAILED');
    });

    it('locks lists what holds a service; locks break refuses a holder whose lease is fresh unless --force', async () => {
      await t.store.acquireLock(
        {
          service: 'backend',
          action: 'stop',
          changeId: 'c-1',
          actor: { id: 'cli:carol', name: 'carol', via: 'cli' },
          owner: 'gone-host:99',
          acquiredAt: '2026-11-25T09:00:00Z',
          leaseExpiresAt: '2099-01-01T00:00:00.000Z',
        },
        new Date(t.clock.now()),
      );
      const list = await cli(['locks']);
      expect(list.stdout).toMatch(/backend\s+stop\s+carol/);
      // Its lease is fresh: its process may still run.
      const refused = await cli(['locks', 'break', 'backend']);
      expect(refused.code).toBe(4);
      expect(await t.store.getLock('backend')).toBeDefined();
      const broken = await cli(['locks', 'break', 'backend', '--force']);
      expect(broken.code).toBe(0);
      expect(broken.stdout).toContain('removed the lock on backend: stop by carol');
      expect(await t.store.getLock('backend')).toBeUndefined();
    });
  });
});
