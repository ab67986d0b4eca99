/**
 * The read-only verbs as a child process, after one deploy (whose new tasks log errors):
 * exit 0 and the documented `--json` fields, and no AWS write.
 */
import { openedAfterEach } from '../teardown';
import { jsonOf, startE2eWorld, WRITE_OPERATIONS, type CliRun, type E2eWorld } from './helpers';

const REV2 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/demo-backend:2';

describe('read-only verbs over the wire', () => {
  let e: E2eWorld;
  const opened = openedAfterEach(afterAll);
  const runs: Record<string, CliRun> = {};

  beforeAll(async () => {
    // Errors in the logs are reported, not failed on, so the deploy succeeds.
    e = opened(
      await startE2eWorld({
        scenario: 'error-logs',
        edit: (s) => delete (s.logs as Record<string, unknown>).failOver,
      }),
      (w) => w.close(),
    );
    const deployed = await e.cli(['deploy', 'backend', e.world.images[1].tag]);
    if (deployed.code !== 0) throw new Error(`the deploy before the reads failed: ${deployed.stderr.slice(-500)}`);
    e.world.clearCalls();
    const verbs: Record<string, string[]> = {
      status: ['status', 'backend'],
      history: ['history'],
      stats: ['stats', 'backend', '--weeks', '1'],
      version: ['version', 'backend'],
      smoke: ['smoke', 'backend'],
      smokeWrongSha: ['smoke', 'backend', '--expect-sha', 'abcdef1'],
      logs: ['logs', 'backend', '--since', '10m'],
    };
    await Promise.all(
      Object.entries(verbs).map(async ([name, argv]) => (runs[name] = await e.cli([...argv, '--json']))),
    );
  });

  it('status: the revision, digest, counts, deployments and target health', () => {
    expect(runs.status.code).toBe(0);
    const status = jsonOf(runs.status);
    expect(status).toMatchObject({
      ok: true,
      exitCode: 0,
      error: null,
      revision: 'demo-backend:2',
      digest: e.world.images[1].digest,
    });
    expect(status.state).toMatchObject({ taskDefinition: REV2, desiredCount: 2, runningCount: 2 });
    expect(status.state.deployments[0]).toMatchObject({
      status: 'PRIMARY',
      taskDefinition: REV2,
      rolloutState: 'COMPLETED',
    });
    expect(status.targetCounts).toEqual({ healthy: 2 });
    expect(status.lock).toBeNull();
  });

  it('history: the deploy with who, what and its outcome', () => {
    expect(runs.history.code).toBe(0);
    const history = jsonOf(runs.history);
    expect(history).toMatchObject({ ok: true, exitCode: 0, error: null });
    expect(history.deploys).toHaveLength(1);
    expect(history.deploys[0]).toMatchObject({
      kind: 'deploy',
      service: 'backend',
      sha: e.world.images[1].tag,
      digest: e.world.images[1].digest,
      outcome: 'succeeded',
      toTaskDefinition: REV2,
    });
    expect(history.deploys[0].actor.via).toBe('cli');
  });

  it('stats: the deploy counts, with its lead time from the oldest commit GitHub reported', () => {
    expect(runs.stats.code).toBe(0);
    const stats = jsonOf(runs.stats);
    expect(stats).toMatchObject({
      ok: true,
      service: 'backend',
      weeks: 1,
      deploys: 1,
      succeeded: 1,
      failed: 0,
      deploysPerWeek: 1,
      changeFailureRate: 0,
      timeToRestoreSeconds: null,
      leadTime: { known: 1, unknown: 0 },
      bands: { deploysPerWeek: 'high', changeFailureRate: 'elite', timeToRestoreSeconds: null },
    });
    expect(stats.leadTimeSeconds).toBeGreaterThan(0);
    expect(stats.series).toHaveLength(1);
  });

  it('version: the endpoint agrees with what ECS runs', () => {
    expect(runs.version.code).toBe(0);
    const version = jsonOf(runs.version);
    expect(version).toMatchObject({ ok: true, exitCode: 0, error: null, agreement: 'agree' });
    expect(version.endpoint.gitSha).toBe(e.world.images[1].sha);
    expect(version.running).toMatchObject({
      taskDefinition: REV2,
      digest: e.world.images[1].digest,
      sha: e.world.images[1].tag,
    });
  });

  it('smoke: ten results, passed; a wrong expected SHA exits 1 with the version check failed', () => {
    expect(runs.smoke.code).toBe(0);
    const smoke = jsonOf(runs.smoke);
    expect(smoke).toMatchObject({ ok: true, exitCode: 0, error: null, passed: true });
    expect(smoke.results).toHaveLength(10);
    expect(runs.smokeWrongSha.code).toBe(1);
    const wrong = jsonOf(runs.smokeWrongSha);
    expect(wrong).toMatchObject({ ok: false, exitCode: 1, passed: false });
    expect(wrong.results.find((r: { name: string }) => r.name === 'version')).toMatchObject({ status: 'fail' });
  });

  it("logs: the new tasks' error lines from the service's log group", () => {
    expect(runs.logs.code).toBe(0);
    const logs = jsonOf(runs.logs);
    expect(logs).toMatchObject({
      ok: true,
      exitCode: 0,
      error: null,
      service: 'backend',
      logGroup: '/ecs/demo-backend',
      pattern: 'ERROR',
    });
    expect(logs.events.length).toBeGreaterThan(0);
    for (const event of logs.events) expect(event.message).toContain('ERROR');
  });

  it('no read-only verb wrote to AWS', () => {
    const calls = e.world.calls();
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((c) => WRITE_OPERATIONS.includes(c.operation))).toEqual([]);
  });
});

describe('logs of a log group that does not exist', () => {
  let e: E2eWorld;
  const opened = openedAfterEach(afterAll);

  it('exits 2 naming the log group, like every other missing resource', async () => {
    e = opened(await startE2eWorld({ edit: (s) => (s.logGroup = '/ecs/no-such-group') }), (w) => w.close());
    const run = await e.cli(['logs', 'backend', '--json']);
    expect(run.code).toBe(2);
    expect(jsonOf(run)).toMatchObject({
      ok: false,
      exitCode: 2,
      error: { code: 'log_group_not_found', message: expect.stringContaining('/ecs/no-such-group') },
    });
  });
});
