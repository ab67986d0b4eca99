/**
 * `ecs-chatops demo`: one deploy, start to finish, against a simulated AWS world: no AWS account,
 * no Slack. The deploy runs through the real CLI, engine, AWS SDK adapters and smoke checks.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutputStream as Output } from '../cli/io';
import { main } from '../main';
import { CodedError, ErrorCodes } from '../errors';
import { describeScenarios, SCENARIOS, startSimWorld, type ScenarioName } from './index';
import { runStatsDemo } from './stats-demo';
import { isBlueGreenScenario } from './strategies';
import { PROMOTION_DEMO, PROMOTION_DEMO_TEXT, runPromotionDemo } from './demo-promotion';

/** Demos that are more than one deploy in a scenario of the world, listed beside the scenarios. */
const DEMO_ONLY_SCENARIOS = {
  [PROMOTION_DEMO]: PROMOTION_DEMO_TEXT,
  stats: 'A few weeks of seeded history, then the delivery metrics (ecs-chatops stats).',
};

export interface RunDemoOptions {
  /** The scenario of the demo deploy (default `healthy`). */
  scenario?: string;
  paceMs?: number;
  port?: number;
  json?: boolean;
  stdout?: Output;
  stderr?: Output;
  env?: NodeJS.ProcessEnv;
  /**
   * Where the config, the database and the report go, kept afterwards. Default: a new folder under
   * TMPDIR, removed when the demo ends (Ctrl-C included).
   */
  workDir?: string;
}

/**
 * A new folder under TMPDIR for the demo's files, removed by `remove()` or, should the process be
 * stopped by SIGINT or SIGTERM first, before it ends (the signal is then raised again, so the process
 * ends as it would have).
 */
export function demoFolder(env: NodeJS.ProcessEnv | undefined): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(env?.TMPDIR || tmpdir(), 'ecs-chatops-demo-'));
  const onSignal = (signal: NodeJS.Signals) => {
    remove();
    process.kill(process.pid, signal);
  };
  const remove = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return { dir, remove };
}

/** Sets `vars` in process.env (the AWS SDK reads its endpoint and credentials there); returns the undo. */
export function withProcessEnv(vars: Record<string, string>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) Reflect.deleteProperty(process.env, k);
      else process.env[k] = v;
    }
  };
}

/**
 * Runs the demo. Without a scenario: a healthy deploy, then one whose new tasks crash so that
 * ECS's circuit breaker rolls it back and ecs-chatops reports the failure (exit 1) and verifies
 * the old release. With a scenario: one deploy in that scenario.
 * Returns 0 when the demo showed what it meant to (or the one deploy's exit code with a scenario).
 * @throws Error for an unknown scenario or a port that cannot be bound.
 */
export async function runDemo(
  options: RunDemoOptions = {},
): Promise<{ exitCode: number; workDir: string; scenario: string }> {
  if (options.scenario === PROMOTION_DEMO) return runPromotionDemo(options);
  // Not a world scenario: a seeded history, then `stats`.
  if (options.scenario === 'stats') {
    const folder =
      options.workDir === undefined ? demoFolder(options.env) : { dir: options.workDir, remove: () => undefined };
    try {
      return await runStatsDemo(options, folder.dir);
    } finally {
      folder.remove();
    }
  }
  if (options.scenario !== undefined && !Object.prototype.hasOwnProperty.call(SCENARIOS, options.scenario)) {
    throw new CodedError(
      ErrorCodes.invalidInput,
      `unknown scenario "${options.scenario}" (known: ${[...Object.keys(SCENARIOS), PROMOTION_DEMO, 'stats'].join(', ')})`,
    );
  }
  // A blue/green-family scenario is the service's own configuration: the world starts in it, so the
  // generated config carries the test-traffic keys.
  const startIn =
    options.scenario && isBlueGreenScenario(options.scenario as ScenarioName) ? options.scenario : 'healthy';
  const world = await startSimWorld({
    scenario: startIn,
    paceMs: options.paceMs,
    port: options.port,
    autoContinue: true,
  });
  const restoreEnv = withProcessEnv(world.env);
  const say = (text: string) => options.stderr?.write(text);
  const kept = options.workDir !== undefined;
  const folder =
    options.workDir === undefined ? demoFolder(options.env) : { dir: options.workDir, remove: () => undefined };
  try {
    const { dir } = folder;
    const config = world.configYaml.replace(/^reportsDir: .*$/m, `reportsDir: ${JSON.stringify(join(dir, 'reports'))}`);
    const configPath = join(dir, 'ecs-chatops.yml');
    writeFileSync(configPath, config);
    const service = world.services[0];
    const env = { ...(options.env ?? process.env), ...world.env, ECS_CHATOPS_DB: join(dir, 'ecs-chatops.db') };
    const deploy = async (scenario: string, tag: string, title: string) => {
      world.setScenario(scenario);
      say(
        `\n━━ ${title} ━━\n$ ecs-chatops deploy ${service} ${tag}    (simulated AWS at ${world.endpoint}, scenario: ${scenario})\n\n`,
      );
      return main(['--config', configPath, 'deploy', service, tag, ...(options.json ? ['--json'] : [])], {
        stdout: options.stdout ?? process.stdout,
        stderr: options.stderr ?? process.stderr,
        env,
      });
    };
    say(
      `ecs-chatops demo: a simulated AWS world (ECS, ECR, ELBv2, CloudWatch Logs) and a fake app, no account needed.\n` +
        `Config, database and reports go to ${dir}${kept ? '' : ' (removed when the demo ends)'}\n`,
    );
    if (options.scenario) {
      const exitCode = await deploy(options.scenario, world.images[1].tag, `Deploy in scenario "${options.scenario}"`);
      return { exitCode, workDir: dir, scenario: options.scenario };
    }
    const first = await deploy('healthy', world.images[1].tag, '1/2 A healthy deploy');
    const second = await deploy(
      'circuit-breaker',
      world.images[2].tag,
      '2/2 A deploy whose new tasks crash: ECS rolls back, ecs-chatops reports the failure and verifies the old release',
    );
    const asExpected = first === 0 && second === 1;
    say(
      `\n━━ Demo done ━━\nfirst deploy exit ${first} (succeeded), second exit ${second} (failed, rolled back and verified).\n` +
        `Try another: npm run demo -- --scenario NAME, with NAME one of:\n${describeScenarios(DEMO_ONLY_SCENARIOS)}\n`,
    );
    return { exitCode: asExpected ? 0 : 3, workDir: dir, scenario: 'healthy, circuit-breaker' };
  } finally {
    restoreEnv();
    await world.close();
    folder.remove();
  }
}
