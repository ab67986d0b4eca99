/**
 * An endpoint that does not implement ECS's service-deployment API and answers its operations
 * with an HTML page and HTTP 500, as some emulators do: the deploy judges from the deployments
 * array, the operations that never answered are barely called, and nothing prints a stack trace.
 */
import { callsOf, closeOpenWorlds, inE2eWorld, jsonOf } from './helpers';

const REV2 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/demo-backend:2';
const NEVER_ANSWERING = [
  'ListServiceDeployments',
  'DescribeServiceDeployments',
  'DescribeServiceRevisions',
  'StopServiceDeployment',
  'ContinueServiceDeployment',
];
/** A stack frame as Node prints it. */
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

afterAll(closeOpenWorlds);

describe('an endpoint answering the service-deployment API with an HTML 500', () => {
  it.concurrent('deploy succeeds from the deployments array, with a handful of calls and one log line', async () => {
    await inE2eWorld({ serviceDeploymentsApi: 'html-500' }, async (e) => {
      // Act
      const run = await e.cli(['deploy', 'backend', e.world.images[1].tag, '--json']);

      // Assess
      const result = jsonOf(run);
      expect(run.code).toBe(0);
      expect(result).toMatchObject({ outcome: 'succeeded', finalTaskDefinition: REV2 });
      const rollout = result.phases.find((p: { name: string }) => p.name === 'rollout');
      expect(rollout.detail).toContain('judged by the deployments array');
      const calls = e.world.calls();
      const unanswered = NEVER_ANSWERING.flatMap((op) => callsOf(calls, op));
      expect(unanswered.length).toBeLessThanOrEqual(4);
      expect(unanswered.every((c) => c.status === 500)).toBe(true);
      expect(run.stderr).not.toMatch(STACK_FRAME);
      expect(run.stderr).not.toContain('SyntaxError');
      expect(run.stderr.match(/does not answer at this endpoint/g) ?? []).toHaveLength(1);
    });
  });

  it.concurrent('config check --aws passes with a warning naming the fallback', async () => {
    await inE2eWorld({ serviceDeploymentsApi: 'html-500' }, async (e) => {
      // Act
      const run = await e.cli(['config', 'check', '--aws']);

      // Assess
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/! ECS service deployments demo-backend .*HTTP 500, not JSON.*deployments array/);
      expect(run.stderr).not.toMatch(STACK_FRAME);
      const unanswered = NEVER_ANSWERING.flatMap((op) => callsOf(e.world.calls(), op));
      expect(unanswered.length).toBeLessThanOrEqual(3);
    });
  });
});
