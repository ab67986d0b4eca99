/**
 * `ecs-chatops sim`: starts a simulated AWS world and keeps it running until Ctrl+C,
 * printing how to point the CLI (or the bot) at it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSimFreeze, withSimFreeze } from './config-yaml';
import { describeScenarios, startSimWorld, type SimWorld } from './index';

interface Output {
  write(chunk: string): unknown;
}

export interface RunSimOptions {
  scenario?: string;
  paceMs?: number;
  port?: number;
  json?: boolean;
  stdout?: Output;
  /** Where the generated config is written and kept (default: a new temp folder, removed when the simulator stops). */
  workDir?: string;
  /** A freeze window written into the config: `Fri 16:00..Mon 08:00 America/New_York`. */
  freeze?: string;
  /** Stops the world when aborted (default: SIGINT or SIGTERM). */
  signal?: AbortSignal;
  /** Also `backend-staging`, which `backend` promotes from. */
  staging?: boolean;
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

/** The instructions printed for a person. */
export function renderSimInstructions(world: SimWorld, configPath: string): string {
  const exports = Object.entries({ ...world.env, ECS_CHATOPS_CONFIG: configPath })
    .map(([k, v]) => `  export ${k}=${shellQuote(v)}`)
    .join('\n');
  return [
    `Simulated AWS world running (scenario: ${world.scenario()}).`,
    `  AWS endpoint  ${world.endpoint}`,
    `  app           ${world.appUrl}   (plain HTTP listener ${world.httpUrl})`,
    `  test traffic  ${world.testUrl}   (or header ${world.testHeader.name}: ${world.testHeader.value} on the app URL)`,
    `  GitHub (fake) ${world.env.GITHUB_API_URL}   (the compare API over the images' commits)`,
    `  config        ${configPath}`,
    '',
    'In another terminal:',
    exports,
    `  ecs-chatops status ${world.services[0]}`,
    `  ecs-chatops deploy ${world.services[0]} ${world.images[1]?.tag ?? world.images[0].tag}`,
    '',
    'Switch the scenario of the next deploy:',
    `  curl -s -X POST ${world.endpoint}/_sim/scenario -H 'content-type: application/json' -d '{"name":"circuit-breaker"}'`,
    `AWS calls so far: curl -s ${world.endpoint}/_sim/calls`,
    `Knobs: curl -s -X POST ${world.endpoint}/_sim/knobs -d '{"serviceDeploymentsApi":"denied"}'   (or missing, html-500; also liveTailApi, consistencyLagMs, minuteMs, outageMs)`,
    `Clock: curl -s -X POST ${world.endpoint}/_sim/clock -d '{"advanceMs":60000}'   (bake time, hook expiry, read lag, outage)`,
    '',
    'Scenarios:',
    describeScenarios(),
    '',
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
}

function waitForStop(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal) {
      if (signal.aborted) {
        resolve();
        return;
      }
      signal.addEventListener('abort', () => resolve(), { once: true });
      return;
    }
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/**
 * Runs the simulator until stopped; returns the exit code.
 * @throws Error for an unknown scenario or a port that cannot be bound.
 */
export async function runSim(options: RunSimOptions = {}): Promise<number> {
  const freeze = options.freeze === undefined ? undefined : parseSimFreeze(options.freeze);
  if (options.freeze !== undefined && !freeze)
    throw new Error(`--freeze must be "<start>..<end> [zone]", e.g. "Fri 16:00..Mon 08:00 America/New_York"`);
  const world = await startSimWorld({
    scenario: options.scenario,
    paceMs: options.paceMs,
    port: options.port,
    staging: options.staging,
  });
  const dir = options.workDir ?? mkdtempSync(join(tmpdir(), 'ecs-chatops-sim-'));
  try {
    const configPath = join(dir, 'ecs-chatops.yml');
    writeFileSync(configPath, freeze ? withSimFreeze(world.configYaml, freeze) : world.configYaml);
    if (options.json) {
      const info = {
        endpoint: world.endpoint,
        appUrl: world.appUrl,
        httpUrl: world.httpUrl,
        testUrl: world.testUrl,
        testHeader: world.testHeader,
        configPath,
        env: world.env,
        services: world.services,
        images: world.images,
      };
      options.stdout?.write(`${JSON.stringify(info)}\n`);
    } else {
      options.stdout?.write(renderSimInstructions(world, configPath));
    }
    await waitForStop(options.signal);
    return 0;
  } finally {
    await world.close();
    if (options.workDir === undefined) rmSync(dir, { recursive: true, force: true });
  }
}
