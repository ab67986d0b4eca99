/**
 * `ecs-chatops deploy` through a sustained AWS outage: after UpdateService, DescribeServices and
 * DescribeTargetHealth answer 500 for a long spell while the rollout itself goes on healthily.
 * The watch must wait the spell out (a verdict or the stabilize timeout ends it, nothing else),
 * and a watch that never could read says so instead of claiming what the service runs.
 */
import { readFileSync } from 'node:fs';
import type { SimCall } from '../../src/sim';
import { callsOf, closeOpenWorlds, inE2eWorld, jsonOf } from './helpers';
import type { JsonDoc } from '../json';

const REV2 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/demo-backend:2';

/** Generous: the CLI itself is killed after 30 s, and two CPUs may be shared with other test runs. */
const TEST_BUDGET_MS = 60_000;

afterAll(closeOpenWorlds);

/** The DescribeServices calls the simulator answered with 500, in order. */
const failedDescribes = (calls: SimCall[]): SimCall[] =>
  callsOf(calls, 'DescribeServices').filter((c) => c.status === 500);

describe('deploy through an AWS outage', () => {
  // 6 s of 500s is about 30 failed calls (6 reads of 5 SDK attempts each), well past the old limit of
  // 4 consecutive errors. The watch backs off (doubling, up to 10 s), so a longer spell costs more wall
  // time than it adds: a 30 s spell takes the CLI about 37 s (past the harness's 30 s child deadline),
  // this one about 10 s.
  it.concurrent(
    'a healthy rollout behind 6 s of DescribeServices 500s: the errors are waited out; success, exit 0, no rollback',
    async () => {
      await inE2eWorld({ scenario: 'outage', outageMs: 6_000 }, async (e) => {
        // Act
        const startedAt = Date.now();
        const run = await e.cli(['deploy', 'backend', e.world.images[1].tag, '--json']);
        const tookMs = Date.now() - startedAt;

        // Assess
        expect(run.code).toBe(0);
        const result = jsonOf(run);
        expect(result).toMatchObject({ ok: true, outcome: 'succeeded', exitCode: 0, finalTaskDefinition: REV2 });
        expect(result.phases.find((p: { name: string }) => p.name === 'rollout')).toMatchObject({
          status: 'ok',
          detail: expect.stringContaining('COMPLETED'),
        });
        const calls = e.world.calls();
        // Only the forward update: nothing was rolled back.
        expect(callsOf(calls, 'UpdateService').map((c) => c.params.taskDefinition)).toEqual([REV2]);
        expect(callsOf(calls, 'StopServiceDeployment')).toHaveLength(0);
        // The 500s were really answered, all after the update, for seconds on end; then a read answered again.
        const updatedAt = callsOf(calls, 'UpdateService')[0].at;
        const failed = failedDescribes(calls);
        expect(failed.length).toBeGreaterThanOrEqual(15);
        expect(failed.every((c) => c.at >= updatedAt)).toBe(true);
        expect(failed[failed.length - 1].at - failed[0].at).toBeGreaterThanOrEqual(4_000);
        const recovered = callsOf(calls, 'DescribeServices').filter(
          (c) => c.at > failed[failed.length - 1].at && c.status === 200,
        );
        expect(recovered.length).toBeGreaterThan(0);
        process.stderr.write(
          `outage of 6 s: ${failed.length} DescribeServices answered 500; the CLI succeeded in ${tookMs} ms\n`,
        );
      });
    },
    TEST_BUDGET_MS,
  );

  it.concurrent(
    'an outage outlasting the stabilize timeout: exit 3, "could not read the service for", nothing rolled back, never "the service runs -"',
    async () => {
      // The spell outlasts the 4 s timeout by minutes, however slowly the machine runs the CLI.
      const edit = (s: JsonDoc) => (s.timeouts = { ...s.timeouts, stabilize: '4s' });
      await inE2eWorld({ scenario: 'outage', outageMs: 600_000, edit }, async (e) => {
        // Act
        const run = await e.cli(['deploy', 'backend', e.world.images[1].tag, '--json']);

        // Assess
        expect(run.code).toBe(3);
        const result = jsonOf(run);
        expect(result).toMatchObject({
          ok: false,
          outcome: 'failed',
          exitCode: 3,
          toTaskDefinition: REV2,
          finalTaskDefinition: null,
        });
        expect(result.failure.phase).toBe('rollout');
        expect(result.failure.reason).toMatch(
          /^could not read the service for \d+s: ECS DescribeServices failed: ServerException/,
        );
        expect(result.failure.reason).toContain('the rollout of demo-backend:2');
        expect(result.failure.reason).toContain('could not be verified within 4s');
        // No read answered after the update: nothing may be claimed of ECS or of what the service runs.
        expect(result.failure.reason).not.toContain('ECS did not show');
        expect(result.summary).toContain('the service could not be read: a person must look');
        const report = readFileSync(result.reportPath, 'utf8');
        expect(report).toContain('could not read the service for');
        for (const text of [run.stdout, run.stderr, report]) expect(text).not.toMatch(/runs -|runs `-`/);
        // Nothing was written blind: no rollback while nothing could be read.
        const calls = e.world.calls();
        expect(callsOf(calls, 'UpdateService').map((c) => c.params.taskDefinition)).toEqual([REV2]);
        expect(callsOf(calls, 'StopServiceDeployment')).toHaveLength(0);
        expect(failedDescribes(calls).length).toBeGreaterThan(0);
        expect(
          callsOf(calls, 'DescribeServices').filter(
            (c) => c.at > callsOf(calls, 'UpdateService')[0].at && c.status === 200,
          ),
        ).toEqual([]);

        // Once AWS answers again, the rollout the CLI could not watch turns out to have gone on.
        e.world.setScenario('healthy');
        const status = jsonOf(await e.cli(['status', 'backend', '--json']));
        expect(status.state.taskDefinition).toBe(REV2);
      });
    },
    TEST_BUDGET_MS,
  );
});
