/**
 * `npm run demo -- --scenario stats`: eight weeks of made-up history for three simulated services
 * in the demo's store, then `ecs-chatops stats` over all of them and over one, through the real CLI.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main';
import { SqliteStore } from '../store';
import type { RunDemoOptions } from './demo';
import { seededHistory, seedStore } from './history-seed';
import { startSimWorld } from './index';

export const STATS_DEMO_WEEKS = 8;

export async function runStatsDemo(
  options: RunDemoOptions,
): Promise<{ exitCode: number; workDir: string; scenario: string }> {
  const world = await startSimWorld({ scenario: 'healthy', services: 3, port: options.port });
  const say = (text: string) => options.stderr?.write(text);
  try {
    const dir = options.workDir ?? mkdtempSync(join(options.env?.TMPDIR || tmpdir(), 'ecs-chatops-demo-'));
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
    say(`ecs-chatops demo: ${history.length} changes over ${STATS_DEMO_WEEKS} weeks seeded into ${db}\n`);
    const env = { ...(options.env ?? process.env), ...world.env, ECS_CHATOPS_DB: db };
    const io = { stdout: options.stdout ?? process.stdout, stderr: options.stderr ?? process.stderr, env };
    const json = options.json ? ['--json'] : [];
    let exitCode = 0;
    for (const args of [[], [world.services[0]]]) {
      say(`\n━━ $ ecs-chatops stats ${[...args, '--weeks', String(STATS_DEMO_WEEKS)].join(' ')} ━━\n\n`);
      const argv = ['--config', configPath, 'stats', ...args, '--weeks', String(STATS_DEMO_WEEKS), ...json];
      exitCode = Math.max(exitCode, await main(argv, io));
    }
    say(`\nIn Slack: /deploys stats [service] [weeks] draws the same weeks as charts.\nFiles: ${dir}\n`);
    return { exitCode, workDir: dir, scenario: 'stats' };
  } finally {
    await world.close();
  }
}
