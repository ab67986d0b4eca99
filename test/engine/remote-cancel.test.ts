/**
 * Two replicas on one store: a Cancel clicked on the replica that does not run the change
 * reaches the one that does, through the change record, and that one stops it and rolls back.
 */
import { openStore } from '../../src/store';
import type { EngineEvent } from '../../src/engine/model';
import { alice, bob, createTestEngine, sha, type TestEngine } from '../fakes';

/** Replica A deploys on a store shared with replica B, which is asked to cancel at the first event `when` matches. */
async function cancelOnOtherReplica(prepare: (a: TestEngine) => void, when: (e: EngineEvent) => boolean) {
  const store = openStore(':memory:');
  const a = createTestEngine({ store, owner: 'replica-a' });
  const b = createTestEngine({ store, owner: 'replica-b' });
  prepare(a);
  // Written by the event callback: an object, so that the read after the deploy is not narrowed to null.
  const cancel: { asked: Promise<boolean> | null } = { asked: null };
  const result = await a.engine.deploy({
    service: 'backend',
    sha: sha(2).slice(0, 7),
    actor: alice,
    onEvent: (e) => {
      if (when(e)) cancel.asked ??= b.engine.cancel(e.changeId, bob);
    },
  });
  return { store, a, result, asked: cancel.asked };
}

describe('Engine: cancel across replicas', () => {
  it('records the request; the replica running the deploy reads it, stops waiting and rolls back', async () => {
    // Prepare: one store, two engines; replica A runs a rollout that never finishes.
    // Act: replica B is asked to cancel once A's rollout is under way.
    const { store, a, result, asked } = await cancelOnOtherReplica(
      (a) => (a.world.next = 'stuck'),
      (e) => e.type === 'progress' && e.phase === 'rollout',
    );

    // Assess
    expect(await asked).toBe(true);
    expect(result).toMatchObject({ outcome: 'rolled_back', exitCode: 1, error: { code: 'cancelled' } });
    expect(result.error?.message).toContain('cancelled by bob');
    expect(a.world.primary().taskDefinition).toMatch(/:1$/);
    const audit = (await store.listAudit({ service: 'backend' })).map((e) => `${e.action} ${e.actor.name}`);
    expect(audit).toEqual(expect.arrayContaining(['cancel.requested bob', 'cancel bob']));
    expect(await store.getLock('backend')).toBeUndefined();
  });

  it('a Cancel asked on the other replica while the checks run is honoured before the deploy is called a success', async () => {
    // Prepare: a healthy deploy on A; B is asked to cancel as A's smoke checks start, and A's
    // checks then finish before any lease renewal reads the request.
    // Act
    const { store, a, result, asked } = await cancelOnOtherReplica(
      () => undefined,
      (e) => e.type === 'phase_started' && e.phase === 'smoke',
    );

    // Assess: B told bob it stops and rolls back; so it did.
    expect(await asked).toBe(true);
    expect(result).toMatchObject({
      outcome: 'rolled_back',
      exitCode: 1,
      error: { code: 'cancelled', message: 'cancelled by bob' },
    });
    expect(result.summary).toContain('backend was cancelled. Rolled back to');
    expect(a.world.primary().taskDefinition).toMatch(/:1$/);
    expect((await store.listAudit({ service: 'backend' })).map((e) => e.action)).not.toContain('deploy.succeeded');
  });

  it('refuses to ask again, or to cancel a change that already finished', async () => {
    const store = openStore(':memory:');
    const a = createTestEngine({ store, owner: 'replica-a' });
    const b = createTestEngine({ store, owner: 'replica-b' });
    const done = await a.engine.deploy({ service: 'backend', sha: sha(2).slice(0, 7), actor: alice });
    expect(await b.engine.cancel(done.deployId!, bob)).toBe(false);
    expect(await b.engine.cancel('d-unknown', bob)).toBe(false);
  });
});
