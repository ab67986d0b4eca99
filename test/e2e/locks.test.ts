/**
 * One change per service at a time, across processes: two CLI children racing for the same
 * service, and a CLI child killed mid-rollout whose lock outlives it.
 */
import Database from 'better-sqlite3';
import { callsOf, closeOpenWorlds, inE2eWorld, jsonOf, waitForCall, type E2eWorld } from './helpers';

const td = (n: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/demo-backend:${n}`;

afterAll(closeOpenWorlds);

// Loads the native binding now: concurrent tests may not load modules later.
new Database(':memory:').close();

/** Time passing for the dead holder: its lease on the lock runs out, as 30 s without renewal would do. */
function expireLeases(e: E2eWorld): void {
  const db = new Database(e.env.ECS_CHATOPS_DB);
  try {
    // A minute ago: past the lease and past the clock skew a taker allows for (ECS_CHATOPS_CLOCK_SKEW, 5 s).
    db.prepare('UPDATE locks SET lease_expires_at = ?').run(new Date(Date.now() - 60_000).toISOString());
  } finally {
    db.close();
  }
}

/** A random owner id per process (host for people, then 8 hex), with its lease. */
const HOLDER = /process [^\s,]+:[0-9a-f]{8}, lease until /;

describe('locks across processes', () => {
  it.concurrent('two deploys of the same service at once: one exits 0, the other 4 naming the holder', async () => {
    // A world that moves only when stepped: whoever takes the lock holds it until time moves.
    await inE2eWorld({ manual: true }, async (e) => {
      // Act
      const a = e.start(['deploy', 'backend', e.world.images[1].tag, '--json']);
      const b = e.start(['deploy', 'backend', e.world.images[2].tag, '--json']);
      const first = await Promise.race([
        a.done.then((run) => ({ run, other: b })),
        b.done.then((run) => ({ run, other: a })),
      ]);
      const ticker = setInterval(() => e.world.step(), 20);
      const second = await first.other.done.finally(() => clearInterval(ticker));

      // Assess: the one that finished without time moving was refused; the other deployed
      expect(first.run.code).toBe(4);
      expect(second.code).toBe(0);
      const refused = jsonOf(first.run);
      expect(refused).toMatchObject({ ok: false, outcome: 'refused', exitCode: 4 });
      expect(refused.error.code).toBe('lock_held');
      expect(first.run.stderr).toContain(`locked by deploy ${String(jsonOf(second).deployId)}`);
      expect(first.run.stderr).toMatch(HOLDER);
      // The refused deploy wrote nothing to AWS: one revision, one service update.
      expect(callsOf(e.world.calls(), 'RegisterTaskDefinition')).toHaveLength(1);
      expect(callsOf(e.world.calls(), 'UpdateService').map((c) => c.params.taskDefinition)).toEqual([td(2)]);
    });
  });

  // `locks break` is documented as "only when the process holding it is gone" (its lease ran out): breaking a live
  // lock would let a second change run beside the first.
  it.concurrent('`locks break` refuses to remove the lock of a process that is still deploying', async () => {
    await inE2eWorld({ manual: true }, async (e) => {
      // Prepare: a deploy that holds the lock and waits on a rollout that does not move.
      const holder = e.start(['deploy', 'backend', e.world.images[1].tag]);
      await waitForCall(e.world, (c) => c.operation === 'UpdateService');

      // Act
      const broken = await e.cli(['locks', 'break', 'backend', '--json']);
      const locks = await e.cli(['locks', '--json']);

      // Assess
      holder.child.kill('SIGKILL');
      expect(broken.code).toBe(4);
      expect(jsonOf(broken)).toMatchObject({ ok: false, exitCode: 4 });
      expect(broken.stderr).toMatch(/^ecs-chatops: .*locked/m);
      expect(jsonOf(locks).locks).toMatchObject([{ service: 'backend', action: 'deploy' }]);
    });
  });

  it.concurrent(
    'a deploy killed mid-rollout leaves a lock under a fresh lease; the next deploy is refused until `locks break --force`',
    async () => {
      // A world that moves only when stepped: the rollout cannot finish before the kill.
      await inE2eWorld({ manual: true }, async (e) => {
        // Prepare: the deploying process dies once it has updated the service.
        const killed = e.start(['deploy', 'backend', e.world.images[1].tag]);
        await waitForCall(e.world, (c) => c.operation === 'UpdateService');
        killed.child.kill('SIGKILL');
        expect((await killed.done).signal).toBe('SIGKILL');
        // ECS finishes that rollout on its own.
        e.world.step(50);
        e.world.clearCalls();

        // Act: the next deploy
        const refused = await e.cli(['deploy', 'backend', e.world.images[2].tag, '--json']);

        // Assess: refused, naming the holder and its lease and how to break the lock; nothing written
        expect(refused.code).toBe(4);
        expect(jsonOf(refused)).toMatchObject({ outcome: 'refused', exitCode: 4 });
        expect(jsonOf(refused).error.code).toBe('lock_held');
        expect(refused.stderr).toMatch(HOLDER);
        expect(refused.stderr).toContain('ecs-chatops recover');
        expect(refused.stderr).toContain('ecs-chatops locks break backend --force');
        expect(callsOf(e.world.calls(), 'RegisterTaskDefinition')).toEqual([]);
        expect(callsOf(e.world.calls(), 'UpdateService')).toEqual([]);

        // Act: the lease is fresh, so only a forced break removes the lock; then deploy again (with time moving)
        const refusedBreak = await e.cli(['locks', 'break', 'backend', '--json']);
        const broken = await e.cli(['locks', 'break', 'backend', '--force', '--json']);
        const ticker = setInterval(() => e.world.step(), 20);
        const deployed = await e
          .cli(['deploy', 'backend', e.world.images[2].tag, '--json'])
          .finally(() => clearInterval(ticker));

        // Assess
        expect(refusedBreak.code).toBe(4);
        expect(broken.code).toBe(0);
        expect(jsonOf(broken).removed).toMatchObject({ service: 'backend', action: 'deploy' });
        expect(deployed.code).toBe(0);
        expect(jsonOf(deployed)).toMatchObject({
          outcome: 'succeeded',
          fromTaskDefinition: td(2),
          finalTaskDefinition: td(3),
        });
        const history = jsonOf(await e.cli(['history', 'backend', '--json'])).deploys as { outcome: string }[];
        expect(history.map((d) => d.outcome)).toEqual(['succeeded', 'interrupted']);
      });
    },
  );

  it.concurrent(
    '`recover` resumes a deploy whose process was killed mid-rollout: it watches, verifies and releases the lock',
    async () => {
      await inE2eWorld({ manual: true }, async (e) => {
        // Prepare: the deploying process dies once it has updated the service
        const killed = e.start(['deploy', 'backend', e.world.images[1].tag]);
        await waitForCall(e.world, (c) => c.operation === 'UpdateService');
        killed.child.kill('SIGKILL');
        await killed.done;
        e.world.clearCalls();
        // While the lease is fresh, recover leaves the change to its owner.
        expect(jsonOf(await e.cli(['recover', '--json'])).resumed).toEqual([]);
        expireLeases(e);

        // Act: resume it while ECS goes on rolling out
        const ticker = setInterval(() => e.world.step(), 20);
        const resumed = await e.cli(['recover', '--json']).finally(() => clearInterval(ticker));

        // Assess: verified without a second update; the lock is gone; history says succeeded
        expect(resumed.code).toBe(0);
        const [change] = jsonOf(resumed).resumed as { outcome: string; finalTaskDefinition: string }[];
        expect(change).toMatchObject({ outcome: 'succeeded', finalTaskDefinition: td(2) });
        expect(callsOf(e.world.calls(), 'UpdateService')).toEqual([]);
        expect(callsOf(e.world.calls(), 'RegisterTaskDefinition')).toEqual([]);
        expect(jsonOf(await e.cli(['locks', '--json'])).locks).toEqual([]);
        const history = jsonOf(await e.cli(['history', 'backend', '--json'])).deploys as { outcome: string }[];
        expect(history.map((d) => d.outcome)).toEqual(['succeeded']);
      });
    },
  );
});
