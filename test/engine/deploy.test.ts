import { CodedError } from '../../src/errors';
import type { EngineEvent } from '../../src/engine/model';
import { alice, createTestEngine, digest, sha, TEST_CONFIG_YAML } from '../fakes';

const SHORT2 = sha(2).slice(0, 7);

function collect() {
  const events: EngineEvent[] = [];
  return { events, onEvent: (e: EngineEvent) => events.push(e) };
}

describe('Engine: deploy', () => {
  it('deploys a new revision pinned by digest, verifies it, and reports each service event once', async () => {
    // Prepare
    const t = createTestEngine();
    const { events, onEvent } = collect();

    // Act
    const result = await t.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice, onEvent });

    // Assess
    expect(result).toMatchObject({ ok: true, outcome: 'succeeded', exitCode: 0, sha: SHORT2, digest: digest(2) });
    expect(result.toTaskDefinition).toMatch(/backend-prod:2$/);
    expect(result.finalTaskDefinition).toBe(result.toTaskDefinition);
    expect(result.phases.map((p) => `${p.name}:${p.status}`)).toEqual([
      'validate:ok',
      'read_service:ok',
      'resolve_image:ok',
      'approval:skipped',
      'register:ok',
      'rollout:ok',
      'targets:ok',
      'smoke:ok',
      'logs:ok',
      'record:ok',
    ]);
    const registered = t.world.taskDefinitions.get(result.toTaskDefinition!)!;
    expect(registered.containers.find((c) => c.name === 'backend')!.image).toBe(
      `123456789012.dkr.ecr.us-east-1.amazonaws.com/backend@${digest(2)}`,
    );
    expect(registered.containers.find((c) => c.name === 'log-router')!.image).toContain('fluent-bit:2.1');
    const serviceEvents = events
      .filter((e) => e.type === 'service_event')
      .map((e) => (e as { event: { id: string } }).event.id);
    expect(new Set(serviceEvents).size).toBe(serviceEvents.length);
    expect(serviceEvents).not.toContain('e0'); // the event from before the deploy is not news
    expect(t.http.runs).toEqual([{ service: 'backend', expectSha: SHORT2 }]);
    expect(events.at(-1)).toMatchObject({ type: 'change_finished' });
    expect((await t.engine.history({ service: 'backend' }))[0]).toMatchObject({ outcome: 'succeeded', sha: SHORT2 });
    expect(await t.store.getLock('backend')).toBeUndefined();
    expect(await t.store.getReport(result.deployId!)).toContain('backend');
  });

  it('answers a missing image with image_not_found and changes nothing', async () => {
    const t = createTestEngine();
    const result = await t.engine.deploy({ service: 'backend', sha: 'abcdef1', actor: alice });
    expect(result).toMatchObject({ ok: false, outcome: 'invalid', exitCode: 2, error: { code: 'image_not_found' } });
    expect(result.error!.message).toContain('abcdef1');
    expect(t.world.writes()).toEqual([]);
    expect(await t.store.getLock('backend')).toBeUndefined();
  });

  it('never calls a circuit-breaker rollback a success: it is a failure, exit 1, and not updated again', async () => {
    const t = createTestEngine();
    t.world.next = 'circuit-breaker';
    const result = await t.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice });
    expect(result).toMatchObject({ ok: false, outcome: 'rolled_back', exitCode: 1 });
    expect(result.failure!.phase).toBe('rollout');
    expect(result.failure!.reason).toMatch(/rolled back|FAILED|circuit breaker/i);
    expect(result.finalTaskDefinition).toMatch(/backend-prod:1$/);
    expect(t.world.writes().filter((c) => c.op === 'updateService')).toHaveLength(1);
    expect(result.phases.find((p) => p.name === 'rollback')).toMatchObject({ status: 'ok' });
  });

  it('times out a stuck rollout after the stabilize timeout and rolls back', async () => {
    const t = createTestEngine();
    t.world.next = 'stuck';
    const result = await t.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice });
    expect(result).toMatchObject({ outcome: 'rolled_back', exitCode: 1 });
    expect(result.failure!.reason).toContain('did not finish within 900s');
    const updates = t.world
      .writes()
      .filter((c) => c.op === 'updateService')
      .map((c) => (c.args[1] as { taskDefinition: string }).taskDefinition);
    expect(updates[0]).toMatch(/:2$/);
    expect(updates[1]).toMatch(/:1$/);
    expect(t.world.primary().taskDefinition).toMatch(/:1$/);
  });

  it('rolls back a FAILED rollout that ECS did not roll back itself', async () => {
    const t = createTestEngine();
    t.world.next = 'failed';
    const result = await t.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice });
    expect(result).toMatchObject({ outcome: 'rolled_back', exitCode: 1, failure: { phase: 'rollout' } });
    expect(result.failure!.reason).toContain('deployment failed');
    expect(result.finalTaskDefinition).toMatch(/:1$/);
  });

  it('rolls back when the new targets are unhealthy (exact state, not a substring)', async () => {
    const t = createTestEngine();
    t.world.targetState.set('arn:aws:ecs:us-east-1:123456789012:task-definition/backend-prod:2', 'unhealthy');
    const result = await t.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice });
    expect(result).toMatchObject({ outcome: 'rolled_back', exitCode: 1, failure: { phase: 'targets' } });
    expect(result.failure!.reason).toContain('unhealthy');
  });

  it('accepts fewer registered targets than tasks when all are healthy and it holds, and says so', async () => {
    const t = createTestEngine();
    t.world.targetLimit = 1;
    const result = await t.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice });
    expect(result.outcome).toBe('succeeded');
    expect(result.phases.find((p) => p.name === 'targets')!.detail).toContain(
      'only 1 of 2 expected targets registered',
    );
  });

  it('rolls back when the version endpoint reports another SHA', async () => {
    const t = createTestEngine();
    // The new release's endpoint misreports; the old one's is right.
    Object.defineProperty(t.http, 'reportedSha', {
      get: () => (t.world.primary().taskDefinition.endsWith(':2') ? sha(3) : null),
    });
    const result = await t.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice });
    expect(result).toMatchObject({ outcome: 'rolled_back', exitCode: 1, failure: { phase: 'smoke' } });
    expect(result.smoke.find((s) => s.name === 'version')).toMatchObject({ status: 'fail' });
  });

  it('says a person must look (exit 3) when the rollback itself fails', async () => {
    const t = createTestEngine();
    t.world.next = 'stuck';
    t.world.rollbackScenario = 'stuck';
    const result = await t.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice });
    expect(result).toMatchObject({ ok: false, outcome: 'rollback_failed', exitCode: 3 });
    expect(result.summary).toContain('a person must look');
    expect(result.phases.find((p) => p.name === 'rollback')).toMatchObject({ status: 'failed' });
  });

  it('refuses while another change holds the lock, naming owner, action and start time, and changes nothing', async () => {
    const t = createTestEngine();
    await t.store.acquireLock(
      {
        service: 'backend',
        action: 'rollback',
        changeId: 'r-1',
        actor: { id: 'U0X', name: 'carol', via: 'slack' },
        owner: 'other-host:42',
        acquiredAt: '2026-11-25T09:59:00.000Z',
        leaseExpiresAt: '2099-01-01T00:00:00.000Z',
      },
      new Date(t.clock.now()),
    );
    const result = await t.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice });
    expect(result).toMatchObject({ outcome: 'refused', exitCode: 4, error: { code: 'lock_held' } });
    expect(result.error!.message).toEqual(expect.stringContaining('carol'));
    expect(result.error!.message).toEqual(expect.stringContaining('rollback'));
    expect(result.error!.message).toEqual(expect.stringContaining('2026-11-25T09:59:00'));
    expect(result.error!.message).toEqual(expect.stringContaining('other-host:42'));
    expect(t.world.calls).toEqual([]);
  });

  it('lets only one of two concurrent deploys of a service run', async () => {
    const t = createTestEngine();
    const [a, b] = await Promise.all([
      t.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice }),
      t.engine.deploy({ service: 'backend', sha: sha(3).slice(0, 7), actor: alice }),
    ]);
    expect([a.outcome, b.outcome].sort()).toEqual(['refused', 'succeeded']);
  });

  it.each([
    ['unknown service', { service: 'nope', sha: SHORT2 }, 'unknown_service'],
    ['short SHA', { service: 'backend', sha: 'abc12' }, 'invalid_input'],
    ['not hex', { service: 'backend', sha: 'zzzzzzz' }, 'invalid_input'],
    ['shell metacharacters', { service: 'backend', sha: 'abc1234;rm -rf /' }, 'invalid_input'],
    ['empty', { service: 'backend', sha: '' }, 'invalid_input'],
    ['huge', { service: 'backend', sha: 'a'.repeat(10_000) }, 'invalid_input'],
  ])('rejects bad input (%s) with exit 2 and no AWS call', async (_name, input, code) => {
    const t = createTestEngine();
    const result = await t.engine.deploy({ ...input, actor: alice });
    expect(result).toMatchObject({ outcome: 'invalid', exitCode: 2, error: { code } });
    expect(result.error!.message.length).toBeLessThan(300);
    expect(t.world.calls).toEqual([]);
  });

  it('shows a dry-run plan with the digest and the task-definition diff, and writes nothing', async () => {
    const t = createTestEngine();
    const result = await t.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice, dryRun: true });
    expect(result).toMatchObject({ ok: true, exitCode: 0, digest: digest(2) });
    expect(result.dryRun!.diff[0]).toContain(`backend@${digest(2)}`);
    expect(result.dryRun!.diff.join('\n')).toContain('unchanged containers: log-router');
    expect(result.dryRun!.toTaskDefinition).toContain('backend-prod:2');
    expect(t.world.writes()).toEqual([]);
    expect(await t.engine.history({})).toEqual([]);
  });

  it('names the next revision after the family’s latest, which need not be the one the service runs', async () => {
    // Prepare: two later revisions exist, registered by someone else and never deployed.
    const t = createTestEngine();
    const running = [...t.world.taskDefinitions.values()][0];
    for (const revision of [2, 3]) {
      const arn = running.arn.replace(/:\d+$/, `:${revision}`);
      t.world.taskDefinitions.set(arn, { ...running, arn, revision });
    }

    // Act
    const result = await t.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice, dryRun: true });

    // Assess
    expect(result.dryRun!.toTaskDefinition).toBe('backend-prod:4 (to be registered)');
    expect(result.summary).toContain('as backend-prod:4 (to be registered)');
  });

  it('says "the next revision of FAMILY" when the family’s latest revision cannot be read', async () => {
    // Prepare
    const t = createTestEngine();
    const describe = t.world.ecs.describeTaskDefinition.bind(t.world.ecs);
    t.world.ecs.describeTaskDefinition = async (region, name) => {
      if (!name.includes(':')) throw new CodedError('access_denied', 'ecs:DescribeTaskDefinition denied');
      return describe(region, name);
    };

    // Act
    const result = await t.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice, dryRun: true });

    // Assess
    expect(result).toMatchObject({ ok: true, exitCode: 0 });
    expect(result.dryRun!.toTaskDefinition).toBe('the next revision of backend-prod (to be registered)');
  });

  it('fails a container-name mismatch in resolve_image, before any approval or write', async () => {
    // Prepare
    const t = createTestEngine();
    t.config.services.backend.container = 'web';

    // Act
    const result = await t.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice });

    // Assess
    expect(result).toMatchObject({ ok: false, error: { code: 'container_not_found' } });
    expect(result.failure!.phase).toBe('resolve_image');
    expect(result.phases.map((p) => p.name)).not.toContain('approval');
    expect(t.world.writes()).toEqual([]);
  });

  it('fails the deploy on too many error log lines when failOver is set, and only reports them otherwise', async () => {
    const reportOnly = createTestEngine();
    reportOnly.world.logs.push({ timestamp: new Date(reportOnly.clock.now() + 1000), message: 'ERROR db timeout' });
    const r1 = await reportOnly.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice });
    expect(r1.outcome).toBe('succeeded');
    expect(r1.logs).toMatchObject({ count: 1, pattern: 'ERROR' });

    const strict = createTestEngine({
      configYaml: TEST_CONFIG_YAML.replace(
        'logs: { errorPattern: ERROR }',
        'logs: { errorPattern: ERROR, failOver: 1 }',
      ),
    });
    strict.world.logs.push({ timestamp: new Date(strict.clock.now() + 1000), message: 'ERROR db timeout' });
    const r2 = await strict.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice });
    expect(r2).toMatchObject({ outcome: 'rolled_back', failure: { phase: 'logs' } });
  });

  it('keeps watching through throttling: it never fails a deploy by itself', async () => {
    const t = createTestEngine();
    t.world.failNext.set(
      'describeServices',
      [1, 2, 3, 4, 5, 6].map(() => new CodedError('throttled', 'Rate exceeded')),
    );
    // the first describe (read_service) must succeed: queue the throttles after it
    const first = t.world.failNext.get('describeServices')!;
    t.world.failNext.set('describeServices', []);
    const p = t.engine.deploy({
      service: 'backend',
      sha: SHORT2,
      actor: alice,
      onStart: () => {
        setImmediate(() => t.world.failNext.set('describeServices', first));
      },
    });
    const result = await p;
    expect(result.outcome).toBe('succeeded');
  });

  it('cancels a running deploy: stops waiting and rolls back', async () => {
    const t = createTestEngine();
    t.world.next = 'stuck';
    let id = '';
    const p = t.engine.deploy({
      service: 'backend',
      sha: SHORT2,
      actor: alice,
      onStart: (changeId) => {
        id = changeId;
      },
      onEvent: (e) => {
        if (e.type === 'progress' && e.phase === 'rollout')
          void t.engine.cancel(id, { id: 'U0LEAD', name: 'bob', via: 'slack' });
      },
    });
    const result = await p;
    expect(result).toMatchObject({ outcome: 'rolled_back', exitCode: 1, error: { code: 'cancelled' } });
    expect(result.summary).toContain('cancelled');
    expect(t.world.primary().taskDefinition).toMatch(/:1$/);
  });
});
