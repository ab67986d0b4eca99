/**
 * `ecs-chatops demo`: one deploy, start to finish, against a simulated AWS world: no AWS account,
 * no Slack. The deploy runs through the real CLI, engine, AWS SDK adapters and smoke checks.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutputStream as Output } from '../cli/io';
import { main } from '../main';
import { startSimWorld } from './index';

export interface RunDemoOptions {
  /** The scenario of the demo deploy (default `healthy`). */
  scenario?: string;
  paceMs?: number;
  port?: number;
  json?: boolean;
  stdout?: Output;
  stderr?: Output;
  env?: NodeJS.ProcessEnv;
  /** Where the config, the database and the report go (default: a new folder under TMPDIR, kept for reading). */
  workDir?: string;
}

/** Sets `vars` in process.env (the AWS SDK reads its endpoint and credentials there); returns the undo. */
function withProcessEnv(vars: Record<string, string>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/**
 * Runs the demo deploy; returns the deploy's exit code (0 succeeded, 1 rolled back, …).
 * @throws Error for an unknown scenario or a port that cannot be bound.
 */
export async function runDemo(options: RunDemoOptions = {}): Promise<{ exitCode: number; workDir: string; scenario: string }> {
  const world = await startSimWorld({ scenario: 'healthy', paceMs: options.paceMs, port: options.port });
  const restoreEnv = withProcessEnv(world.env);
  try {
    world.setScenario(options.scenario ?? 'healthy');
    const dir = options.workDir ?? mkdtempSync(join(options.env?.TMPDIR || tmpdir(), 'ecs-chatops-demo-'));
    const config = world.configYaml.replace(/^reportsDir: .*$/m, `reportsDir: ${JSON.stringify(join(dir, 'reports'))}`);
    const configPath = join(dir, 'ecs-chatops.yml');
    writeFileSync(configPath, config);
    const [service, image] = [world.services[0], world.images[1]];
    options.stderr?.write(
      `Demo: a simulated AWS world at ${world.endpoint} (scenario: ${world.scenario()}); ` +
        `deploying ${service} ${image.tag} with the real engine. Files in ${dir}\n`,
    );
    const exitCode = await main(['--config', configPath, 'deploy', service, image.tag], {
      stdout: options.json ? options.stderr : options.stdout,
      stderr: options.stderr,
      env: { ...(options.env ?? process.env), ...world.env, ECS_CHATOPS_DB: join(dir, 'ecs-chatops.db') },
    });
    return { exitCode, workDir: dir, scenario: world.scenario() };
  } finally {
    restoreEnv();
    await world.close();
  }
}
