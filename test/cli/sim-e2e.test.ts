/**
 * The whole terminal path with the real composition root: CLI → engine → AWS SDK adapters →
 * the simulated AWS world over HTTP, and the smoke checks against its fake app.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startSimWorld, type SimWorld } from '../../src/sim/index';
import { run, tempDir } from './helpers';

describe('CLI end to end against the simulated AWS world', () => {
  const tmp = tempDir();
  const saved = { ...process.env };
  let world: SimWorld;
  let env: NodeJS.ProcessEnv;
  let config: string;
  const cli = (argv: string[]) => run(['--config', config, ...argv], { env });

  beforeAll(async () => {
    world = await startSimWorld({ paceMs: 20 });
    // The AWS SDK reads its endpoint and credentials from the process environment.
    Object.assign(process.env, world.env);
    env = { ...world.env, ECS_CHATOPS_DB: join(tmp.dir, 'data', 'e2e.db') };
    config = tmp.file(
      'ecs-chatops.yml',
      world.configYaml.replace(/^reportsDir: .*$/m, `reportsDir: ${JSON.stringify(join(tmp.dir, 'reports'))}`),
    );
  });

  afterAll(async () => {
    process.env = saved;
    await world.close();
    tmp.cleanup();
  });

  it('deploys a healthy image: exit 0, the JSON result, and a written report', async () => {
    // Act
    const out = await cli(['deploy', 'backend', world.images[1].tag, '--json']);

    // Assess
    expect(out.code).toBe(0);
    const result = JSON.parse(out.stdout);
    expect(result).toMatchObject({ ok: true, outcome: 'succeeded', exitCode: 0, digest: world.images[1].digest });
    expect(result.finalTaskDefinition).toBe(result.toTaskDefinition);
    expect(result.smoke.length).toBe(10);
    expect(existsSync(result.reportPath)).toBe(true);
    expect(out.stderr).toContain('✓ Deploy succeeded');
  });

  it('exits 1 and names the revision running now when the circuit breaker rolls back', async () => {
    // Prepare
    const before = JSON.parse((await cli(['status', 'backend', '--json'])).stdout).state.taskDefinition;
    world.setScenario('circuit-breaker');

    // Act
    const out = await cli(['deploy', 'backend', world.images[2].tag, '--json']);

    // Assess
    expect(out.code).toBe(1);
    const result = JSON.parse(out.stdout);
    expect(result).toMatchObject({ ok: false, outcome: 'rolled_back', exitCode: 1, finalTaskDefinition: before });
    expect(result.failure.phase).toBe('rollout');
    expect(out.stderr).toContain('previous release was restored');
  });

  it('shows the history of both deploys', async () => {
    const out = await cli(['history', 'backend']);
    expect(out.code).toBe(0);
    const rows = out.stdout.trim().split('\n').slice(1);
    expect(rows.map((r) => /succeeded|rolled_back/.exec(r)?.[0])).toEqual(['rolled_back', 'succeeded']);
  });
});
