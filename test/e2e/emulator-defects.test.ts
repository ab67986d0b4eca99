/**
 * Defects an AWS emulator run found, repeated against the simulator through the CLI: a container
 * name that is not in the task definition fails where it is found, and a dry run names the
 * revision ECS will really register.
 */
import { DescribeTaskDefinitionCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { WRITE_OPERATIONS, callsOf, closeOpenWorlds, inE2eWorld, jsonOf } from './helpers';

afterAll(closeOpenWorlds);

describe('defects found against an emulator', () => {
  it.concurrent('a container-name mismatch fails in resolve_image, never approval, and writes nothing', async () => {
    await inE2eWorld({ edit: (s) => (s.container = 'web') }, async (e) => {
      // Act
      const run = await e.cli(['deploy', 'backend', e.world.images[1].tag, '--json']);

      // Assess
      const result = jsonOf(run);
      expect(run.code).toBe(2);
      expect(result.error.code).toBe('container_not_found');
      expect(result.failure.phase).toBe('resolve_image');
      expect(run.stdout + run.stderr).not.toMatch(/approval/);
      for (const op of WRITE_OPERATIONS.filter((o) => o !== 'TagResource'))
        expect(callsOf(e.world.calls(), op)).toHaveLength(0);
    });
  });

  it.concurrent(
    'deploy --dry-run names the revision after the family’s latest, not after the running one',
    async () => {
      await inE2eWorld({}, async (e) => {
        // Prepare: two revisions registered since, never deployed.
        const ecs = new ECSClient({
          region: 'us-east-1',
          endpoint: e.world.endpoint,
          credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        });
        try {
          const { taskDefinition } = await ecs.send(
            new DescribeTaskDefinitionCommand({ taskDefinition: 'demo-backend' }),
          );
          for (let i = 0; i < 2; i += 1)
            await ecs.send(
              new RegisterTaskDefinitionCommand({
                family: 'demo-backend',
                containerDefinitions: taskDefinition!.containerDefinitions,
              }),
            );
        } finally {
          ecs.destroy();
        }

        // Act
        const run = await e.cli(['deploy', 'backend', e.world.images[1].tag, '--dry-run', '--json']);

        // Assess
        expect(run.code).toBe(0);
        expect(jsonOf(run).dryRun.toTaskDefinition).toBe('demo-backend:4 (to be registered)');
      });
    },
  );
});
