/**
 * `ecs-chatops deploy` as a child process against the simulated AWS world, one world per
 * scenario, run side by side: exit codes, the `--json` result and the AWS calls that reached
 * the simulator.
 */
import { DescribeTaskDefinitionCommand, ECSClient, type TaskDefinition } from '@aws-sdk/client-ecs';
import { answered, callsOf, closeOpenWorlds, inE2eWorld, jsonOf, waitForCall, type E2eWorld } from './helpers';
import type { JsonDoc } from '../json';

const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const REV1 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/demo-backend:1';
const REV2 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/demo-backend:2';
/** Fields DescribeTaskDefinition returns that RegisterTaskDefinition rejects. */
const READ_ONLY = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
];

/** The seeded revision as ECS describes it, read over the wire with the real SDK client. */
async function describeRevision1(
  e: E2eWorld,
): Promise<{ definition: TaskDefinition; tags: { key?: string; value?: string }[] }> {
  // The SDK's once-per-process Node version notice is not what these tests are about.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new ECSClient({
    endpoint: e.world.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    const out = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: REV1, include: ['TAGS'] }));
    return { definition: out.taskDefinition!, tags: out.tags ?? [] };
  } finally {
    client.destroy();
  }
}

afterAll(closeOpenWorlds);

describe('deploy over the wire', () => {
  it.concurrent(
    'healthy: registers one revision pinning the digest, keeps everything else, and rolls the service to it',
    async () => {
      await inE2eWorld({}, async (e) => {
        // Prepare
        const previous = await describeRevision1(e);
        const image = e.world.images[1];
        e.world.clearCalls();

        // Act
        const run = await e.cli(['deploy', 'backend', image.tag, '--json']);

        // Assess
        expect(run.code).toBe(0);
        const result = jsonOf(run);
        expect(result).toMatchObject({
          ok: true,
          outcome: 'succeeded',
          exitCode: 0,
          service: 'backend',
          sha: image.tag,
          digest: image.digest,
          error: null,
        });
        expect(result).toMatchObject({ fromTaskDefinition: REV1, toTaskDefinition: REV2, finalTaskDefinition: REV2 });
        const calls = e.world.calls();
        const registers = callsOf(calls, 'RegisterTaskDefinition');
        expect(registers).toHaveLength(1);
        const sent = registers[0].params as JsonDoc;
        for (const field of READ_ONLY) expect(sent).not.toHaveProperty(field);
        // Exactly the previous revision with the app container's image pinned by digest.
        const {
          taskDefinitionArn,
          revision,
          status,
          requiresAttributes,
          compatibilities,
          registeredAt,
          registeredBy,
          ...writable
        } = previous.definition as JsonDoc;
        const expected = {
          ...writable,
          containerDefinitions: writable.containerDefinitions.map((c: Record<string, unknown>) =>
            c.name === 'backend' ? { ...c, image: `${REGISTRY}/demo-backend@${image.digest}` } : c,
          ),
          tags: previous.tags,
        };
        expect(sent).toEqual(expected);
        const sidecar = sent.containerDefinitions.find((c: { name: string }) => c.name === 'log-router');
        expect(sidecar.image).toBe('public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4');
        const updates = callsOf(calls, 'UpdateService');
        expect(updates).toHaveLength(1);
        expect(updates[0].params).toMatchObject({
          cluster: 'demo-cluster',
          service: 'demo-backend',
          taskDefinition: REV2,
        });
        // The digest is resolved before anything is written.
        const order = calls.map((c) => c.operation);
        expect(order.indexOf('DescribeImages')).toBeLessThan(order.indexOf('RegisterTaskDefinition'));
        expect(order.indexOf('RegisterTaskDefinition')).toBeLessThan(order.indexOf('UpdateService'));
        expect(result.smoke).toHaveLength(10);
        expect(result.phases.map((p: { name: string; status: string }) => `${p.name}:${p.status}`)).toEqual(
          expect.arrayContaining(['register:ok', 'rollout:ok', 'targets:ok', 'smoke:ok', 'logs:ok']),
        );
      });
    },
  );

  it.concurrent('circuit-breaker: exit 1, rolled back by ECS and verified, never reported as success', async () => {
    await inE2eWorld({ scenario: 'circuit-breaker' }, async (e) => {
      // Act
      const run = await e.cli(['deploy', 'backend', e.world.images[1].tag, '--json']);

      // Assess
      expect(run.code).toBe(1);
      const result = jsonOf(run);
      expect(result).toMatchObject({
        ok: false,
        outcome: 'rolled_back',
        exitCode: 1,
        fromTaskDefinition: REV1,
        toTaskDefinition: REV2,
        finalTaskDefinition: REV1,
      });
      expect(result.failure.phase).toBe('rollout');
      expect(result.failure.reason).toMatch(/circuit breaker|failed/i);
      expect(run.stdout).not.toMatch(/"outcome": "succeeded"/);
      // ECS already rolled back: the CLI watches and verifies instead of updating again.
      const updates = callsOf(e.world.calls(), 'UpdateService');
      expect(updates).toHaveLength(1);
      expect(updates[0].params).toMatchObject({ taskDefinition: REV2 });
      const calls = e.world.calls();
      const afterUpdate = calls.slice(calls.findIndex((c) => c.operation === 'UpdateService'));
      expect(answered(afterUpdate, 'DescribeServices').length).toBeGreaterThan(1);
    });
  });

  it.concurrent(
    'no-capacity (may heal): exit 1 after the stabilize timeout, and an UpdateService back to the old revision',
    async () => {
      // Without the service-deployment API, and with the no-progress guard out of reach: the outer bound decides.
      const edit = (s: JsonDoc) => (s.timeouts = { ...s.timeouts, stabilize: '1s', noProgress: '1h' });
      await inE2eWorld({ scenario: 'no-capacity', edit, serviceDeploymentsApi: 'missing' }, async (e) => {
        // Act
        const run = await e.cli(['deploy', 'backend', e.world.images[1].tag, '--json']);

        // Assess
        expect(run.code).toBe(1);
        const result = jsonOf(run);
        expect(result).toMatchObject({ ok: false, outcome: 'rolled_back', exitCode: 1, finalTaskDefinition: REV1 });
        expect(result.failure.phase).toBe('rollout');
        expect(result.failure.reason).toContain('did not finish within 1s');
        const updates = callsOf(e.world.calls(), 'UpdateService').map((c) => c.params.taskDefinition);
        expect(updates).toEqual([REV2, REV1]);
        expect(callsOf(e.world.calls(), 'RegisterTaskDefinition')).toHaveLength(1);
      });
    },
  );

  it.concurrent(
    'unhealthy-targets: exit 1, failure in the targets phase, rolled back to the old revision',
    async () => {
      await inE2eWorld({ scenario: 'unhealthy-targets' }, async (e) => {
        // Act
        const run = await e.cli(['deploy', 'backend', e.world.images[1].tag, '--json']);

        // Assess
        expect(run.code).toBe(1);
        const result = jsonOf(run);
        expect(result).toMatchObject({ ok: false, outcome: 'rolled_back', exitCode: 1, finalTaskDefinition: REV1 });
        expect(result.failure.phase).toBe('targets');
        expect(result.failure.reason).toContain('Target.ResponseCodeMismatch');
        expect(callsOf(e.world.calls(), 'UpdateService').map((c) => c.params.taskDefinition)).toEqual([REV2, REV1]);
        expect(answered(e.world.calls(), 'DescribeTargetHealth').length).toBeGreaterThan(0);
      });
    },
  );

  // The simulator's own rollbacks always succeed (ECS returns healthily to a revision it ran before),
  // so the rollback is made to fail the way it fails for real: AWS stops answering mid-deploy.
  it.concurrent('a rollback that cannot reach AWS: exit 3, a person must look', async () => {
    // The rollout's budget leaves the test ample time to take AWS away first, however loaded the machine.
    const edit = (s: JsonDoc) => (s.timeouts = { ...s.timeouts, stabilize: '6s' });
    await inE2eWorld({ scenario: 'stuck', edit }, async (e) => {
      // Prepare: the rollout hangs; AWS becomes unreachable once the service was updated.
      const child = e.start(['deploy', 'backend', e.world.images[1].tag, '--json']);
      await waitForCall(e.world, (c) => c.operation === 'UpdateService');
      await e.world.close();

      // Act
      const run = await child.done;

      // Assess
      expect(run.code).toBe(3);
      const result = jsonOf(run);
      expect(result).toMatchObject({ ok: false, exitCode: 3, toTaskDefinition: REV2 });
      expect(result.outcome).not.toBe('rolled_back');
      expect(result.failure.phase).toBe('rollout');
      // Whether or not a read showed our deployment before AWS went away, the result says the service could not be read.
      expect(result.failure.reason).toContain('could not read the service');
      // Nobody can tell what runs now: the result must not claim the old revision is back.
      expect(result.finalTaskDefinition).not.toBe(REV1);
      expect(result.summary).toContain('a person must look');
    });
  });
});
