/**
 * `npm run demo -- --scenario stats`: eight weeks of made-up history for three simulated services
 * in the demo's store, then `ecs-chatops stats` over all of them and over one, through the real CLI.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../main';
import { SqliteStore } from '../store';
import type { RunDemoOptions } from './demo';
import { seededHistory, seedStore } from './history-seed';
import { startSimWorld } from './index';

export const STATS_DEMO_WEEKS = 8;

/** Runs in `dir` (the config and the database go there; the caller keeps or removes it). */
export async function runStatsDemo(
  options: RunDemoOptions,
  dir: string,
): Promise<{ exitCode: number; workDir: string; scenario: string }> {
  const world = await startSimWorld({ scenario: 'healthy', services: 3, port: options.port });
  const say = (text: string) => options.stderr?.write(text);
  try {
    const configPath = join(dir, 'ecs-chatops.yml');
    writeFileSync(configPath, world.configYaml);
    const db = join(dir, 'ecs-chatops.db');
    const store = new SqliteStore(db);
    const history = seededHistory({ services: world.services, weeks: STATS_DEMO_WEEKS, now: Date.now() });
    try {
      await seedStore(store, history);
    } finally {
      await store.close();
    }
    say(`ecs-chatops demo: ${history.length} changes over ${STATS_DEMO_WEEKS} weeks seeded into the demo's store\n`);
    const env = { ...(options.env ?? process.env), ...world.env, ECS_CHATOPS_DB: db };
    const io = { stdout: options.stdout ?? process.stdout, stderr: options.stderr ?? process.stderr, env };
    const json = options.json ? ['--json'] : [];
    let exitCode = 0;
    for (const args of [[], [world.services[0]]]) {
      say(`\n━━ $ ecs-chatops stats ${[...args, '--weeks', String(STATS_DEMO_WEEKS)].join(' ')} ━━\n\n`);
      const argv = ['--config', configPath, 'stats', ...args, '--weeks', String(STATS_DEMO_WEEKS), ...json];
      exitCode = Math.max(exitCode, await main(argv, io));
    }
    say('\nIn Slack: /deploys stats [service] [weeks] draws the same weeks as charts.\n');
    return { exitCode, workDir: dir, scenario: 'stats' };
  } finally {
    await world.close();
  }
}
