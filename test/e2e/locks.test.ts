/**
 * One change per service at a time, across processes: two CLI children racing for the same
 * service, and a CLI child killed mid-rollout whose lock outlives it.
 */
import { callsOf, closeOpenWorlds, inE2eWorld, jsonOf, waitForCall } from './helpers';

const td = (n: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/demo-backend:${n}`;

afterAll(closeOpenWorlds);


describe('locks across processes', () => {
  it.concurrent('two deploys of the same service at once: one exits 0, the other 4 naming the holder', async () => {
    // A world that moves only when stepped: whoever takes the lock holds it until time moves.
    await inE2eWorld({ manual: true }, async (e) => {
      // Act
      const a = e.start(['deploy', 'backend', e.world.images[1].tag, '--json']);
      const b = e.start(['deploy', 'backend', e.world.images[2].tag, '--json']);
      const first = await Promise.race([a.done.then((run) => ({ run, other: b })), b.done.then((run) => ({ run, other: a }))]);
      const ticker = setInterval(() => e.world.step(), 20);
      const second = await first.other.done.finally(() => clearInterval(ticker));

      // Assess: the one that finished without time moving was refused; the other deployed
      expect(first.run.code).toBe(4);
      expect(second.code).toBe(0);
      const refused = jsonOf(first.run);
      expect(refused).toMatchObject({ ok: false, outcome: 'refused', exitCode: 4 });
      expect(refused.error.code).toBe('lock_held');
      expect(first.run.stderr).toContain(`locked by deploy ${jsonOf(second).deployId}`);
      expect(first.run.stderr).toContain(`:${first.other.pid})`);
      expect(first.run.stderr).not.toContain('that process is gone');
      // The refused deploy wrote nothing to AWS: one revision, one service update.
      expect(callsOf(e.world.calls(), 'RegisterTaskDefinition')).toHaveLength(1);
      expect(callsOf(e.world.calls(), 'UpdateService').map((c) => c.params.taskDefinition)).toEqual([td(2)]);
    });
  });

  // `locks break` is documented as "only when the process holding it is gone": breaking a live
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

  it.concurrent('a deploy killed mid-rollout leaves a lock; the next deploy is refused until `locks break`', async () => {
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

      // Assess: refused, saying the holder is gone and how to break the lock; nothing written
      expect(refused.code).toBe(4);
      expect(jsonOf(refused)).toMatchObject({ outcome: 'refused', exitCode: 4 });
      expect(jsonOf(refused).error.code).toBe('lock_held');
      expect(refused.stderr).toContain(`:${killed.pid})`);
      expect(refused.stderr).toContain('that process is gone');
      expect(refused.stderr).toContain('ecs-chatops locks break backend');
      expect(callsOf(e.world.calls(), 'RegisterTaskDefinition')).toEqual([]);
      expect(callsOf(e.world.calls(), 'UpdateService')).toEqual([]);

      // Act: break the lock, then deploy again (with time moving)
      const broken = await e.cli(['locks', 'break', 'backend', '--json']);
      const ticker = setInterval(() => e.world.step(), 20);
      const deployed = await e.cli(['deploy', 'backend', e.world.images[2].tag, '--json']).finally(() => clearInterval(ticker));

      // Assess
      expect(broken.code).toBe(0);
      expect(jsonOf(broken).removed).toMatchObject({ service: 'backend', action: 'deploy' });
      expect(deployed.code).toBe(0);
      expect(jsonOf(deployed)).toMatchObject({ outcome: 'succeeded', fromTaskDefinition: td(2), finalTaskDefinition: td(3) });
      const history = jsonOf(await e.cli(['history', 'backend', '--json'])).deploys as { outcome: string }[];
      expect(history.map((d) => d.outcome)).toEqual(['succeeded', 'interrupted']);
    });
  });

  it.concurrent('`recover` resumes a deploy whose process was killed mid-rollout: it watches, verifies and releases the lock', async () => {
    await inE2eWorld({ manual: true }, async (e) => {
      // Prepare: the deploying process dies once it has updated the service
      const killed = e.start(['deploy', 'backend', e.world.images[1].tag]);
      await waitForCall(e.world, (c) => c.operation === 'UpdateService');
      killed.child.kill('SIGKILL');
      await killed.done;
      e.world.clearCalls();

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
  });
});
