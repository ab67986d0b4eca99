/**
 * Rollback, stop and restart from a terminal (the CLI as a child process) against one simulated
 * world and one state file, in the order an operator would run them.
 */
import { answered, callsOf, jsonOf, startE2eWorld, WRITE_OPERATIONS, type E2eWorld } from './helpers';
import { openedAfterEach } from '../teardown';

const td = (n: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/demo-backend:${n}`;

describe('rollback, stop and restart over the wire', () => {
  let e: E2eWorld;
  const opened = openedAfterEach(afterAll);
  const tag = (i: number) => e.world.images[i].tag;

  beforeAll(async () => {
    e = opened(await startE2eWorld(), (w) => w.close());
  });

  beforeEach(() => e.world.clearCalls());

  it('a dry run leaves no deploy record behind', async () => {
    // Act
    const dry = await e.cli(['deploy', 'backend', tag(1), '--dry-run']);
    const history = await e.cli(['history', '--json']);

    // Assess
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('nothing was changed');
    expect(jsonOf(history).deploys).toEqual([]);
    expect(e.world.calls().filter((c) => WRITE_OPERATIONS.includes(c.operation))).toEqual([]);
  });

  it('rollback after two deploys: exit 0, back to the first deploy revision, nothing registered', async () => {
    // Prepare
    expect((await e.cli(['deploy', 'backend', tag(1)])).code).toBe(0);
    expect((await e.cli(['deploy', 'backend', tag(2)])).code).toBe(0);
    e.world.clearCalls();

    // Act
    const run = await e.cli(['rollback', 'backend', '--json']);

    // Assess
    expect(run.code).toBe(0);
    expect(jsonOf(run)).toMatchObject({
      ok: true,
      kind: 'rollback',
      outcome: 'succeeded',
      sha: tag(1),
      fromTaskDefinition: td(3),
      toTaskDefinition: td(2),
      finalTaskDefinition: td(2),
    });
    expect(callsOf(e.world.calls(), 'RegisterTaskDefinition')).toEqual([]);
    expect(callsOf(e.world.calls(), 'UpdateService').map((c) => c.params)).toEqual([
      { cluster: 'demo-cluster', service: 'demo-backend', taskDefinition: td(2) },
    ]);
  });

  it('rollback --to <sha of the first deploy> goes there, not to the previous release', async () => {
    // Prepare: two more releases (revisions 4 and 5); the previous release is now revision 4.
    expect((await e.cli(['deploy', 'backend', tag(2)])).code).toBe(0);
    expect((await e.cli(['deploy', 'backend', tag(0)])).code).toBe(0);
    e.world.clearCalls();

    // Act
    const run = await e.cli(['rollback', 'backend', '--to', tag(1), '--json']);

    // Assess
    expect(run.code).toBe(0);
    expect(jsonOf(run)).toMatchObject({
      ok: true,
      outcome: 'succeeded',
      fromTaskDefinition: td(5),
      finalTaskDefinition: td(2),
    });
    expect(callsOf(e.world.calls(), 'RegisterTaskDefinition')).toEqual([]);
    expect(answered(e.world.calls(), 'UpdateService').map((c) => c.params.taskDefinition)).toEqual([td(2)]);
  });

  it('stop --yes: exit 0, desired count 0 and nothing else changed', async () => {
    // Act
    const run = await e.cli(['stop', 'backend', '--reason', 'x', '--yes', '--json']);

    // Assess
    expect(run.code).toBe(0);
    expect(jsonOf(run)).toMatchObject({ ok: true, outcome: 'succeeded', exitCode: 0, previousDesired: 2, desired: 0 });
    const updates = callsOf(e.world.calls(), 'UpdateService');
    expect(updates.map((c) => c.params)).toEqual([
      { cluster: 'demo-cluster', service: 'demo-backend', desiredCount: 0 },
    ]);
  });

  it('restart --yes: exit 0, the kept desired count is restored', async () => {
    // Act
    const run = await e.cli(['restart', 'backend', '--yes', '--json']);

    // Assess
    expect(run.code).toBe(0);
    expect(jsonOf(run)).toMatchObject({ ok: true, outcome: 'succeeded', exitCode: 0, desired: 2 });
    const updates = callsOf(e.world.calls(), 'UpdateService');
    expect(updates.map((c) => c.params)).toEqual([
      { cluster: 'demo-cluster', service: 'demo-backend', desiredCount: 2 },
    ]);
  });

  it('history lists every change, newest first', async () => {
    // Act
    const run = await e.cli(['history', 'backend', '--json']);

    // Assess
    expect(run.code).toBe(0);
    const deploys = jsonOf(run).deploys as { kind: string; outcome: string }[];
    expect(deploys.map((d) => `${d.kind}:${d.outcome}`)).toEqual([
      'restart:succeeded',
      'stop:succeeded',
      'rollback:succeeded',
      'deploy:succeeded',
      'deploy:succeeded',
      'rollback:succeeded',
      'deploy:succeeded',
      'deploy:succeeded',
    ]);
    expect(e.world.calls()).toEqual([]);
  });
});
