import { join } from 'node:path';
import { openStore } from '../../src/store';
import type { EngineEvent, LockInfo } from '../../src/engine/model';
import { CLOCK_SKEW_MS, LEASE_RENEW_MS, LEASE_TTL_MS } from '../../src/engine/store-port';
import { alice, bob, createTestEngine, sha, TEST_CONFIG_YAML, type TestEngine } from '../fakes';
import { makeTempDir, type TempDir } from '../store/temp-db';

const carol = { id: 'U0DEPLOYER', name: 'carol', via: 'slack' as const };

describe('Engine: rollback', () => {
  it('rolls back to the release before the current one, pinned by digest, and verifies it with that SHA', async () => {
    const t = createTestEngine();
    await t.engine.deploy({ service: 'backend', sha: sha(2).slice(0, 7), actor: alice });
    await t.engine.deploy({ service: 'backend', sha: sha(3).slice(0, 7), actor: alice });
    const result = await t.engine.rollback({ service: 'backend', target: { kind: 'previous' }, actor: alice });
    expect(result).toMatchObject({ ok: true, outcome: 'succeeded', exitCode: 0, kind: 'rollback' });
    expect(result.finalTaskDefinition).toMatch(/backend-prod:2$/);
    expect(t.http.runs.at(-1)).toEqual({ service: 'backend', expectSha: sha(2).slice(0, 7) });
    expect(t.world.writes().filter((c) => c.op === 'registerRevision')).toHaveLength(2); // no new revision for a rollback
  });

  it('rolls back to a given revision number or git SHA', async () => {
    const t = createTestEngine();
    await t.engine.deploy({ service: 'backend', sha: sha(2).slice(0, 7), actor: alice });
    await t.engine.deploy({ service: 'backend', sha: sha(3).slice(0, 7), actor: alice });
    const byRevision = await t.engine.rollback({
      service: 'backend',
      target: { kind: 'revision', revision: '1' },
      actor: alice,
    });
    expect(byRevision.finalTaskDefinition).toMatch(/backend-prod:1$/);
    const bySha = await t.engine.rollback({ service: 'backend', target: { kind: 'sha', sha: sha(3) }, actor: alice });
    expect(bySha).toMatchObject({ outcome: 'succeeded' });
    expect(bySha.finalTaskDefinition).toMatch(/backend-prod:3$/);
  });

  it('answers an unknown SHA with release_not_found (exit 2) and changes nothing', async () => {
    const t = createTestEngine();
    const result = await t.engine.rollback({
      service: 'backend',
      target: { kind: 'sha', sha: 'abcdef12' },
      actor: alice,
    });
    expect(result).toMatchObject({ outcome: 'invalid', exitCode: 2, error: { code: 'release_not_found' } });
    expect(t.world.writes()).toEqual([]);
  });

  it('refuses a revision of another task family (exit 2) and changes nothing', async () => {
    const t = createTestEngine();
    t.world.addTaskDefinition('payments-prod', 1, 'registry.example/payments@sha256:' + 'e'.repeat(64));
    const result = await t.engine.rollback({
      service: 'backend',
      target: { kind: 'revision', revision: 'payments-prod:1' },
      actor: alice,
    });
    expect(result).toMatchObject({ outcome: 'invalid', exitCode: 2, error: { code: 'invalid_input' } });
    expect(result.error?.message).toContain("not a revision of backend's task family backend-prod");
    expect(t.world.writes()).toEqual([]);
  });

  it('refuses a revision of the family that lacks the configured container (exit 2)', async () => {
    const t = createTestEngine();
    const td = t.world.addTaskDefinition('backend-prod', 7, 'registry.example/backend@sha256:' + 'f'.repeat(64));
    t.world.taskDefinitions.set(td.arn, { ...td, containers: td.containers.filter((c) => c.name !== 'backend') });
    const result = await t.engine.rollback({
      service: 'backend',
      target: { kind: 'revision', revision: '7' },
      actor: alice,
    });
    expect(result).toMatchObject({ outcome: 'invalid', exitCode: 2 });
    expect(result.error?.message).toContain('has no container backend');
    expect(t.world.writes()).toEqual([]);
  });

  it('returns to where it was when the rollback target itself fails', async () => {
    const t = createTestEngine();
    await t.engine.deploy({ service: 'backend', sha: sha(2).slice(0, 7), actor: alice });
    t.world.rollbackScenario = 'circuit-breaker';
    const result = await t.engine.rollback({ service: 'backend', target: { kind: 'previous' }, actor: alice });
    expect(result).toMatchObject({ outcome: 'rolled_back', exitCode: 1 });
    expect(result.finalTaskDefinition).toMatch(/backend-prod:2$/);
  });
});

describe('Engine: stop and restart', () => {
  it('stops (desired 0), remembers the count, and restart restores it', async () => {
    const t = createTestEngine();
    const stop = await t.engine.stop({ service: 'backend', reason: 'data leak suspected', actor: alice });
    expect(stop).toMatchObject({ ok: true, exitCode: 0, previousDesired: 2, desired: 0 });
    expect(t.world.service().desired).toBe(0);
    expect(await t.store.getKeptCount('backend')).toBe(2);
    expect(
      (await t.store.listAudit({ service: 'backend' })).some(
        (a) => a.action === 'ecs.update_service' && a.details.reason === 'data leak suspected',
      ),
    ).toBe(true);

    const restart = await t.engine.restart({ service: 'backend', actor: alice });
    expect(restart).toMatchObject({ ok: true, previousDesired: 0, desired: 2 });
    expect(t.world.service().desired).toBe(2);
    expect(await t.store.getKeptCount('backend')).toBeUndefined();

    const again = await t.engine.restart({ service: 'backend', actor: alice });
    expect(again).toMatchObject({ ok: false, exitCode: 2, error: { code: 'nothing_to_restore' } });
    const explicit = await t.engine.restart({ service: 'backend', actor: alice, count: 3 });
    expect(explicit).toMatchObject({ ok: true, desired: 3 });
  });

  it('requires a reason to stop', async () => {
    const t = createTestEngine();
    const r = await t.engine.stop({ service: 'backend', reason: '  ', actor: alice });
    expect(r).toMatchObject({ exitCode: 2 });
    expect(t.world.writes()).toEqual([]);
  });

  it("from Slack, refuses an emergency stop without a second person's approval", async () => {
    const t = createTestEngine();
    const r = await t.engine.stop({ service: 'backend', reason: 'incident', actor: carol });
    expect(r).toMatchObject({ ok: false, exitCode: 4, error: { code: 'approval_required' } });
    expect(t.world.writes()).toEqual([]);
  });
});

describe('Engine: approvals', () => {
  it('lets a second person approve once; the requester cannot; the approval is then used up', async () => {
    const t = createTestEngine();
    const request = await t.engine.requestApproval({
      service: 'backend',
      action: 'stop',
      requester: carol,
      reason: 'incident',
    });
    expect(request.impact).toContain('desired 2 → 0');
    expect(await t.engine.decideApproval(request.id, 'approved', carol)).toMatchObject({
      ok: false,
      reason: 'self_approval',
    });
    expect(await t.engine.decideApproval(request.id, 'approved', bob)).toMatchObject({ ok: true });
    expect(await t.engine.decideApproval(request.id, 'approved', bob)).toMatchObject({
      ok: false,
      reason: 'already_decided',
    });

    const stop = await t.engine.stop({ service: 'backend', reason: 'incident', actor: carol, approvalId: request.id });
    expect(stop).toMatchObject({ ok: true, desired: 0 });
    const reuse = await t.engine.restart({ service: 'backend', actor: carol, approvalId: request.id });
    expect(reuse.ok).toBe(true); // restart needs no approval here
    const second = await t.engine.stop({ service: 'backend', reason: 'again', actor: carol, approvalId: request.id });
    expect(second).toMatchObject({ ok: false, exitCode: 4, error: { code: 'approval_invalid' } });
  });

  it('expires requests after the approval timeout', async () => {
    const t = createTestEngine();
    const request = await t.engine.requestApproval({
      service: 'backend',
      action: 'stop',
      requester: carol,
      reason: 'incident',
    });
    t.clock.advance(11 * 60_000);
    expect(await t.engine.decideApproval(request.id, 'approved', bob)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('requires approval for deploys of services that list it, from Slack', async () => {
    const t = createTestEngine({
      configYaml: TEST_CONFIG_YAML.replace(
        '    logs: { errorPattern: ERROR }',
        '    logs: { errorPattern: ERROR }\n    requireApproval: [deploy]',
      ),
    });
    const refused = await t.engine.deploy({ service: 'backend', sha: sha(2).slice(0, 7), actor: carol });
    expect(refused).toMatchObject({ outcome: 'refused', exitCode: 4, error: { code: 'approval_required' } });
    expect(t.world.writes()).toEqual([]);
    const request = await t.engine.requestApproval({
      service: 'backend',
      action: 'deploy',
      params: { sha: sha(2) },
      requester: carol,
      reason: 'release 42',
    });
    await t.engine.decideApproval(request.id, 'approved', bob);
    const ok = await t.engine.deploy({
      service: 'backend',
      sha: sha(2).slice(0, 7),
      actor: carol,
      approvalId: request.id,
    });
    expect(ok.outcome).toBe('succeeded');
    expect(ok.phases.find((p) => p.name === 'approval')).toMatchObject({ status: 'ok', detail: 'approved by bob' });
  });
});

describe('Engine: recovery after a crash', () => {
  // A lease is taken over once it ran out longer ago than the clock skew allowed between processes.
  const AFTER_LEASE = LEASE_TTL_MS + CLOCK_SKEW_MS + 1;
  // Each crash's database folder, removed after its test whatever the test's outcome.
  const temps: TempDir[] = [];
  afterEach(() => {
    for (const temp of temps.splice(0)) temp.remove();
  });

  /** A deploy whose process dies (its store handle gone) once the rollout is under way. */
  async function crashedMidWatch(owner = 'host-a:1a2b3c4d') {
    const temp = makeTempDir('ecs-chatops-recover-');
    temps.push(temp);
    const path = join(temp.dir, 'state.db');
    const store = openStore(path);
    const first = createTestEngine({ store, owner });
    let crashed!: () => void;
    const died = new Promise<void>((r) => (crashed = r));
    const onEvent = (e: EngineEvent) => {
      if (e.type !== 'progress') return;
      void store.close();
      crashed();
    };
    void first.engine.deploy({ service: 'backend', sha: sha(2).slice(0, 7), actor: alice, onEvent });
    await died;
    const reader = openStore(path);
    const record = (await reader.runningDeploys())[0];
    await reader.close();
    return { path, first, record };
  }

  /** Another process on the same file and AWS world, `laterMs` after the crash. */
  function anotherProcess(crash: { path: string; first: TestEngine }, owner: string, laterMs: number): TestEngine {
    const other = createTestEngine({ store: openStore(crash.path), owner, seed: false });
    Object.assign(other.world, {
      services: crash.first.world.services,
      taskDefinitions: crash.first.world.taskDefinitions,
      images: crash.first.world.images,
    });
    other.clock.advance(laterMs);
    return other;
  }

  it('resumes a deploy whose owner stopped renewing, in exactly one of two other processes, after the lease', async () => {
    // Prepare
    const crash = await crashedMidWatch();
    expect(crash.record.toTaskDefinition).toMatch(/:2$/);
    const b = anotherProcess(crash, 'host-b:00000001', AFTER_LEASE);
    const c = anotherProcess(crash, 'host-c:00000002', AFTER_LEASE);

    // Act
    const [fromB, fromC] = await Promise.all([b.engine.recover(), c.engine.recover()]);

    // Assess
    const resumed = [...fromB, ...fromC];
    expect(resumed).toHaveLength(1);
    expect(resumed[0]).toMatchObject({ deployId: crash.record.id, outcome: 'succeeded' });
    expect((await b.store.getDeploy(crash.record.id))!.outcome).toBe('succeeded');
    expect(await b.store.getLock('backend')).toBeUndefined();
    expect((await b.store.listAudit({ service: 'backend' })).filter((a) => a.action === 'deploy.resumed')).toHaveLength(
      1,
    );
    expect(b.clock.pendingTimers + c.clock.pendingTimers).toBe(0);
  });

  it('leaves a change alone while its lease is fresh: no takeover, and new changes are refused', async () => {
    // Prepare
    const crash = await crashedMidWatch();
    const b = anotherProcess(crash, 'host-b:00000001', LEASE_TTL_MS - 1000);

    // Act
    const resumed = await b.engine.recover();
    const deploy = await b.engine.deploy({ service: 'backend', sha: sha(3).slice(0, 7), actor: alice });

    // Assess
    expect(resumed).toEqual([]);
    expect((await b.store.getDeploy(crash.record.id))!.outcome).toBe('running');
    expect(deploy).toMatchObject({ outcome: 'refused', exitCode: 4, error: { code: 'lock_held' } });
    expect(deploy.error!.message).toContain('host-a:1a2b3c4d');
  });

  it('resumes after a restart with the same owner id (PID 1 in a container) once the lease ran out', async () => {
    // Prepare: the restarted process has the very same owner string
    const crash = await crashedMidWatch('ecs-chatops:1');
    const restarted = anotherProcess(crash, 'ecs-chatops:1', AFTER_LEASE);

    // Act
    const [resumed] = await restarted.engine.recover();

    // Assess
    expect(resumed).toMatchObject({ deployId: crash.record.id, outcome: 'succeeded' });
    expect(await restarted.store.getLock('backend')).toBeUndefined();
  });

  it('marks a running change interrupted when another change now holds its service', async () => {
    // Prepare: a change whose process stopped, and a newer change that holds the service's lock
    const t = createTestEngine({ owner: 'host-b:00000001' });
    await t.store.insertDeploy({
      id: 'd-orphan',
      kind: 'deploy',
      service: 'backend',
      sha: sha(2),
      digest: null,
      image: null,
      fromTaskDefinition: 'x:1',
      toTaskDefinition: 'x:2',
      finalTaskDefinition: null,
      outcome: 'running',
      actor: alice,
      startedAt: '2026-11-25T09:00:00.000Z',
      finishedAt: null,
      phases: [
        {
          name: 'register',
          status: 'ok',
          startedAt: '2026-11-25T09:00:01.000Z',
          finishedAt: '2026-11-25T09:00:01.000Z',
          detail: 'registered',
        },
      ],
      result: null,
      owner: 'host-z:9',
      slack: null,
      reportPath: null,
    });
    await t.store.acquireLock(
      {
        service: 'backend',
        action: 'deploy',
        changeId: 'd-new',
        actor: bob,
        owner: 'host-n:7',
        acquiredAt: '2026-11-25T09:59:50.000Z',
        leaseExpiresAt: '2026-11-25T10:00:20.000Z',
      },
      new Date(t.clock.now()),
    );

    // Act
    const resumed = await t.engine.recover();

    // Assess
    expect(resumed).toEqual([]);
    expect((await t.store.getDeploy('d-orphan'))!.outcome).toBe('interrupted');
    expect(await t.store.getLock('backend')).toMatchObject({ changeId: 'd-new' });
    expect(t.world.writes()).toEqual([]);
  });

  it('renews its lease while the change runs, and stops renewing when it ends', async () => {
    // Prepare
    const t = createTestEngine();
    const leases: Promise<LockInfo | undefined>[] = [];

    // Act: a deploy during which more than one renewal period passes
    let waited = false;
    const onEvent = (e: EngineEvent) => {
      if (e.type === 'progress' && !waited) {
        waited = true;
        t.clock.advance(LEASE_RENEW_MS);
      }
      if (e.type === 'phase_finished') leases.push(t.store.getLock('backend'));
    };
    const result = await t.engine.deploy({ service: 'backend', sha: sha(2).slice(0, 7), actor: alice, onEvent });

    // Assess
    expect(result.outcome).toBe('succeeded');
    const ends = (await Promise.all(leases)).flatMap((l) => (l?.leaseExpiresAt ? [Date.parse(l.leaseExpiresAt)] : []));
    expect(Math.max(...ends)).toBeGreaterThan(Math.min(...ends));
    expect(t.clock.pendingTimers).toBe(0);
    expect(await t.store.getLock('backend')).toBeUndefined();
  });

  it('marks a change interrupted when its process died before changing anything', async () => {
    const t = createTestEngine({ owner: 'host:222' });
    await t.store.insertDeploy({
      id: 'd-x',
      kind: 'deploy',
      service: 'backend',
      sha: sha(2),
      digest: null,
      image: null,
      fromTaskDefinition: null,
      toTaskDefinition: null,
      finalTaskDefinition: null,
      outcome: 'running',
      actor: alice,
      startedAt: '2026-11-25T09:00:00.000Z',
      finishedAt: null,
      phases: [],
      result: null,
      owner: 'host:111',
      slack: null,
      reportPath: null,
    });
    await t.store.acquireLock(
      {
        service: 'backend',
        action: 'deploy',
        changeId: 'd-x',
        actor: alice,
        owner: 'host:111',
        acquiredAt: '2026-11-25T09:00:00.000Z',
        leaseExpiresAt: '2026-11-25T09:00:30.000Z',
      },
      new Date(t.clock.now()),
    );
    expect(await t.engine.recover()).toEqual([]);
    expect((await t.store.getDeploy('d-x'))!.outcome).toBe('interrupted');
    expect(await t.store.getLock('backend')).toBeUndefined();
    expect(t.world.writes()).toEqual([]);
  });

  it('breaks a lock whose lease ran out without --force, and records who did', async () => {
    const t = createTestEngine();
    await t.store.acquireLock(
      {
        service: 'backend',
        action: 'deploy',
        changeId: 'd-y',
        actor: alice,
        owner: 'gone:1',
        acquiredAt: '2026-11-25T09:00:00.000Z',
        leaseExpiresAt: '2026-11-25T09:00:30.000Z',
      },
      new Date(t.clock.now()),
    );
    expect(await t.engine.breakLock('backend', bob)).toMatchObject({ changeId: 'd-y' });
    expect(
      (await t.store.listAudit({ service: 'backend' })).some(
        (a) => a.action === 'lock.broken' && a.actor.name === 'bob',
      ),
    ).toBe(true);
    expect((await t.engine.deploy({ service: 'backend', sha: sha(2).slice(0, 7), actor: alice })).outcome).toBe(
      'succeeded',
    );
  });
});

describe('Engine: lock breaking and busy services', () => {
  it('refuses to break a lock whose lease is fresh unless forced; a forced break closes the change as interrupted', async () => {
    const t = createTestEngine();
    await t.store.insertDeploy({
      id: 'd-z',
      kind: 'deploy',
      service: 'backend',
      sha: sha(2),
      digest: null,
      image: null,
      fromTaskDefinition: null,
      toTaskDefinition: null,
      finalTaskDefinition: null,
      outcome: 'running',
      actor: alice,
      startedAt: '2026-11-25T09:59:50.000Z',
      finishedAt: null,
      phases: [],
      result: null,
      owner: 'other-host:7',
      slack: null,
      reportPath: null,
    });
    await t.store.acquireLock(
      {
        service: 'backend',
        action: 'deploy',
        changeId: 'd-z',
        actor: alice,
        owner: 'other-host:7',
        acquiredAt: '2026-11-25T09:59:50.000Z',
        leaseExpiresAt: '2026-11-25T10:00:20.000Z',
      },
      new Date(t.clock.now()),
    );
    await expect(t.engine.breakLock('backend', bob)).rejects.toThrow(/may still be running/);
    expect(await t.store.getLock('backend')).toMatchObject({ changeId: 'd-z' });
    expect(await t.engine.breakLock('backend', bob, { force: true })).toMatchObject({ changeId: 'd-z' });
    expect(await t.store.getLock('backend')).toBeUndefined();
    expect((await t.store.getDeploy('d-z'))!.outcome).toBe('interrupted');
  });

  it('refuses a deploy while ECS still rolls out another deployment, in the read_service phase', async () => {
    const t = createTestEngine();
    t.world.next = 'stuck';
    await t.world.ecs.updateService('us-east-1', {
      cluster: 'prod',
      service: 'backend-svc',
      taskDefinition: t.world.primary().taskDefinition.replace(':1', ':1'),
    });
    t.world.addTaskDefinition('backend-prod', 2, 'x');
    await t.world.ecs.updateService('us-east-1', {
      cluster: 'prod',
      service: 'backend-svc',
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/backend-prod:2',
    });
    const writes = t.world.writes().length;
    const r = await t.engine.deploy({ service: 'backend', sha: sha(3).slice(0, 7), actor: alice });
    expect(r).toMatchObject({
      outcome: 'refused',
      exitCode: 4,
      error: { code: 'deployment_in_progress' },
      failure: { phase: 'read_service' },
    });
    expect(t.world.writes().length).toBe(writes);
  });
});

describe('Engine: queries', () => {
  it('status shows revision, digest, counts, targets and the last deploy', async () => {
    const t = createTestEngine();
    await t.engine.deploy({ service: 'backend', sha: sha(2).slice(0, 7), actor: alice });
    const s = await t.engine.status('backend');
    expect(s.revision).toBe('backend-prod:2');
    expect(s.digest).toBe(`sha256:${'2'.repeat(64)}`);
    expect(s.targetCounts).toEqual({ healthy: 2 });
    expect(s.lastDeploy).toMatchObject({ outcome: 'succeeded' });
  });

  it('version compares the endpoint with what ECS runs', async () => {
    const t = createTestEngine();
    await t.engine.deploy({ service: 'backend', sha: sha(2).slice(0, 7), actor: alice });
    expect((await t.engine.version('backend')).agreement).toBe('agree');
    t.http.reportedSha = sha(4);
    expect((await t.engine.version('backend')).agreement).toBe('disagree');
  });

  it('logs returns matching lines of the window, newest first', async () => {
    const t = createTestEngine();
    t.world.logs.push(
      { timestamp: new Date(t.clock.now() - 60 * 60_000), message: 'ERROR old' },
      { timestamp: new Date(t.clock.now() - 60_000), message: 'ERROR new' },
      { timestamp: new Date(t.clock.now() - 30_000), message: 'INFO fine' },
    );
    const r = await t.engine.logs({ service: 'backend', sinceMs: 30 * 60_000 });
    expect(r.events.map((e) => e.message)).toEqual(['ERROR new']);
  });
});
