/**
 * A process that stalled past its lease (a long pause, a frozen VM) while another took its change
 * over: once it runs again it must leave the change to the new owner, neither rolling back, nor
 * recording an outcome, nor releasing the lock the new owner holds.
 */
import { openStore } from '../../src/store';
import { alice, createTestEngine, sha } from '../fakes';

describe('Engine: a change whose lease another process took over', () => {
  it("is left to the new owner: no rollback, no outcome written, the new owner's lock kept", async () => {
    // Prepare: replica A runs a rollout that never finishes; meanwhile its lease runs out and replica B takes the lock over.
    const store = openStore(':memory:');
    const a = createTestEngine({ store, owner: 'replica-a' });
    a.world.next = 'stuck';
    // Written by the event callback: an object, so that the read after the deploy is not narrowed to null.
    const replicaB: { takenOver: Promise<unknown> | null } = { takenOver: null };

    // Act
    const result = await a.engine.deploy({
      service: 'backend',
      sha: sha(2).slice(0, 7),
      actor: alice,
      onEvent: (e) => {
        if (e.type !== 'progress' || e.phase !== 'rollout' || replicaB.takenOver) return;
        const later = new Date(a.clock.now() + 60_000);
        replicaB.takenOver = store.acquireLock(
          {
            service: 'backend',
            action: 'deploy',
            changeId: e.changeId,
            actor: alice,
            owner: 'replica-b',
            acquiredAt: later.toISOString(),
            leaseExpiresAt: new Date(later.getTime() + 30_000).toISOString(),
          },
          later,
        );
      },
    });

    // Assess: A stopped acting on it and said why; ECS still rolls out A's revision; the record and the lock are B's.
    expect(await replicaB.takenOver).toMatchObject({ ok: true });
    expect(result).toMatchObject({ outcome: 'interrupted', error: { code: 'lease_lost' } });
    expect(result.summary).toMatch(/another process took this change over/);
    expect(a.world.primary().taskDefinition).toMatch(/:2$/);
    expect(a.world.calls.filter((c) => c.op === 'updateService')).toHaveLength(1);
    expect(await store.getDeploy(result.deployId!)).toMatchObject({ outcome: 'running' });
    expect(await store.getLock('backend')).toMatchObject({ changeId: result.deployId, owner: 'replica-b' });
    const audit = (await store.listAudit({ service: 'backend' })).map((e) => e.action);
    expect(audit).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^deploy\.(rolled_back|succeeded|rollback_failed|failed)$/)]),
    );
  });
});
