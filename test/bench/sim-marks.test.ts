import { startSimWorld, type SimWorld } from '../../src/sim/index';
import { ECSClient, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { openedAfterEach } from '../teardown';

describe('rollout marks of the simulated world', () => {
  let world: SimWorld;
  let ecs: ECSClient;
  const opened = openedAfterEach();

  function client(): ECSClient {
    ecs = opened(
      new ECSClient({
        region: 'us-east-1',
        endpoint: world.endpoint,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      }),
      (c) => c.destroy(),
    );
    return ecs;
  }

  async function forceDeployment(): Promise<number> {
    const before = Date.now();
    await client().send(
      new UpdateServiceCommand({ cluster: 'demo-cluster', service: 'demo-backend', forceNewDeployment: true }),
    );
    return before;
  }

  /** A new revision: a task definition the service never completed, so the scenario applies to it. */
  async function deployNewRevision(): Promise<string> {
    const registered = await client().send(
      new RegisterTaskDefinitionCommand({
        family: 'demo-backend',
        containerDefinitions: [{ name: 'backend', image: 'demo-backend:new', essential: true }],
      }),
    );
    const arn = registered.taskDefinition!.taskDefinitionArn!;
    await ecs.send(new UpdateServiceCommand({ cluster: 'demo-cluster', service: 'demo-backend', taskDefinition: arn }));
    return arn;
  }

  it('records the moment a rollout completes, once, with its task definition', async () => {
    world = opened(await startSimWorld({ manual: true }), (w) => w.close());
    const before = await forceDeployment();
    expect(world.rolloutMarks()).toEqual([]);
    world.step(30);
    const marks = world.rolloutMarks();
    expect(marks).toHaveLength(1);
    expect(marks[0]).toMatchObject({ service: 'demo-backend', cluster: 'demo-cluster', state: 'COMPLETED' });
    expect(marks[0].taskDefinition).toMatch(/task-definition\/demo-backend:1$/);
    expect(marks[0].at).toBeGreaterThanOrEqual(before);
  });

  it('records a circuit-breaker failure, then the completion of the rollback ECS started', async () => {
    world = opened(await startSimWorld({ manual: true, scenario: 'circuit-breaker' }), (w) => w.close());
    const arn = await deployNewRevision();
    world.step(40);
    const marks = world.rolloutMarks();
    expect(marks.map((m) => m.state)).toEqual(['FAILED', 'COMPLETED']);
    expect(marks[0].taskDefinition).toBe(arn);
    expect(marks[1].taskDefinition).not.toBe(arn);
  });
});
