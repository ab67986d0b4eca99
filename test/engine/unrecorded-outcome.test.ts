/**
 * A full disk when the change ends: the service was changed and verified, but the store refused
 * the write of the outcome. The change must not claim a plain success, and whoever closes its
 * record later records what happened (succeeded), never `interrupted`.
 */
import type { RuntimeFactory } from '../../src/cli/context';
import type { EngineEvent } from '../../src/engine/model';
import { CLOCK_SKEW_MS, LEASE_TTL_MS } from '../../src/engine/ports';
import { openStore } from '../../src/store';
import { alice, bob, createTestEngine, sha, TEST_CONFIG_YAML, type TestEngine } from '../fakes';
import { run, tempDir } from '../cli/helpers';

const SHORT = (n: number) => sha(n).slice(0, 7);

/** A store whose disk can fill up: then the outcome write (and, if asked, the lock's release) fails. */
function fillableStore() {
  const store = openStore(':memory:');
  const disk = { full: false, lockToo: false, everything: false };
  const diskFull = (what: string) =>
    Object.assign(new Error(`SQLITE_FULL: database or disk is full (${what})`), { code: 'SQLITE_FULL' });
  const updateDeploy = store.updateDeploy.bind(store);
  const releaseLock = store.releaseLock.bind(store);
  store.updateDeploy = async (id, patch) => {
    if ((disk.full && 'outcome' in patch) || disk.everything) throw diskFull('outcome');
    return updateDeploy(id, patch);
  };
  store.releaseLock = async (service, changeId) => {
    if (disk.full && disk.lockToo)
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    return releaseLock(service, changeId);
  };
  return { store, disk };
}

describe('Engine: the outcome of a change cannot be recorded (disk full)', () => {
  let t: TestEngine;
  let disk: { full: boolean; lockToo: boolean; everything: boolean };

  beforeEach(() => {
    const fillable = fillableStore();
    disk = fillable.disk;
    t = createTestEngine({ store: fillable.store });
  });

  async function unrecordedDeploy() {
    disk.full = true;
    const result = await t.engine.deploy({ service: 'backend', sha: SHORT(2), actor: alice });
    disk.full = false;
    return result;
  }

  it('a verified deploy exits 5 (not 0) with the error outcome_unrecorded; its record still says running', async () => {
    const result = await unrecordedDeploy();
    expect(result).toMatchObject({
      outcome: 'succeeded',
      exitCode: 5,
      unrecorded: true,
      error: { code: 'outcome_unrecorded' },
    });
    expect(t.world.primary().taskDefinition).toMatch(/:2$/);
    expect((await t.store.getDeploy(result.deployId!))?.outcome).toBe('running');
  });

  it('`recover` then records it as succeeded, from its phases, without touching AWS again', async () => {
    const result = await unrecordedDeploy();
    const writes = t.world.writes().length;
    const [recovered] = await t.engine.recover();
    expect(recovered).toMatchObject({ deployId: result.deployId, outcome: 'succeeded', exitCode: 0 });
    const rec = await t.store.getDeploy(result.deployId!);
    expect(rec).toMatchObject({ outcome: 'succeeded', finalTaskDefinition: expect.stringMatching(/:2$/) });
    expect(t.world.writes()).toHaveLength(writes);
    expect(await t.store.getLock('backend')).toBeUndefined();
    const audit = await t.store.listAudit({ limit: 10 });
    expect(audit.find((a) => a.action === 'deploy.succeeded')?.details).toMatchObject({
      changeId: result.deployId,
      recordedBy: 'recovery',
    });
  });

  it('the lock stayed too (its release failed): the next deploy after the lease records the old change as succeeded, not interrupted', async () => {
    disk.lockToo = true;
    const first = await unrecordedDeploy();
    expect((await t.store.getLock('backend'))?.changeId).toBe(first.deployId);
    // Past the lease and the clock skew a taker allows for.
    t.clock.advance(LEASE_TTL_MS + CLOCK_SKEW_MS + 1);
    const second = await t.engine.deploy({ service: 'backend', sha: SHORT(3), actor: bob });
    expect(second).toMatchObject({ outcome: 'succeeded', exitCode: 0 });
    expect((await t.store.getDeploy(first.deployId!))?.outcome).toBe('succeeded');
  });

  it('a later deploy took the freed lock first: recovery still records the old change as succeeded', async () => {
    const first = await unrecordedDeploy();
    await t.engine.deploy({ service: 'backend', sha: SHORT(3), actor: bob });
    await t.engine.recover();
    expect((await t.store.getDeploy(first.deployId!))?.outcome).toBe('succeeded');
  });

  it('the disk filled up during the checks (no phase after the rollout was recorded): recover verifies the service again and records succeeded', async () => {
    const onEvent = (e: EngineEvent) => {
      if (e.type === 'phase_finished' && e.phase === 'rollout') disk.everything = true;
    };
    const result = await t.engine.deploy({ service: 'backend', sha: SHORT(2), actor: alice, onEvent });
    disk.everything = false;
    expect(result).toMatchObject({ outcome: 'succeeded', exitCode: 5 });
    const rec = await t.store.getDeploy(result.deployId!);
    expect(rec?.phases.some((p) => p.name === 'record')).toBe(false);
    const [recovered] = await t.engine.recover();
    expect(recovered).toMatchObject({ deployId: result.deployId, outcome: 'succeeded' });
    expect((await t.store.getDeploy(result.deployId!))?.outcome).toBe('succeeded');
  });

  it('a deploy that failed and rolled back keeps exit 1 and is never recorded as succeeded later', async () => {
    t.world.next = 'circuit-breaker';
    const result = await unrecordedDeploy();
    expect(result).toMatchObject({ outcome: 'rolled_back', exitCode: 1, unrecorded: true });
    await t.engine.recover();
    expect((await t.store.getDeploy(result.deployId!))?.outcome).not.toBe('succeeded');
  });
});

describe('CLI: a deploy whose outcome could not be recorded', () => {
  const tmp = tempDir();
  const config = tmp.file('ecs-chatops.yml', TEST_CONFIG_YAML);
  afterAll(() => tmp.cleanup());

  it('exits 5, says so, and names what to run; running it records the deploy as succeeded', async () => {
    const { store, disk } = fillableStore();
    const t = createTestEngine({ store });
    const createRuntime: RuntimeFactory = () =>
      Promise.resolve({ config: t.config, engine: t.engine, store: t.store, close: () => Promise.resolve() });
    disk.full = true;
    const out = await run(['--config', config, 'deploy', 'backend', SHORT(2)], { createRuntime });
    expect(out.code).toBe(5);
    expect(out.stderr).toContain('✓ Deploy succeeded, but its outcome could not be recorded');
    expect(out.stderr).toMatch(/run `ecs-chatops recover`: it records the change as succeeded/);
    expect(out.stderr).not.toContain('✓ Deploy succeeded\n');
    // What it names, once the disk has room again.
    disk.full = false;
    const recovered = await run(['--config', config, 'recover'], { createRuntime });
    expect(recovered.code).toBe(0);
    expect(recovered.stderr).toMatch(/recorded as succeeded \(it was verified, but its process could not record/);
    expect(await t.store.runningDeploys()).toEqual([]);
  });
});
