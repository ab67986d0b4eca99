/**
 * `npm run demo -- --scenario promotion`: staging and production on the simulator, production with
 * `promotion.require: verified`. A staging deploy, a promotion of what staging runs (with the
 * commits it ships), then a deploy of a SHA staging never verified, refused (exit 4).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { main } from '../main';
import type { RunDemoOptions } from './demo';
import { withProcessEnv } from './demo';
import { startSimWorld, type SimWorld } from './index';

export const PROMOTION_DEMO = 'promotion';

/** The world's config with production requiring verified releases and reports in `dir`. */
function promotionConfig(world: SimWorld, dir: string): string {
  const doc = parseDocument(world.configYaml);
  doc.set('reportsDir', join(dir, 'reports'));
  doc.setIn(['services', 'backend', 'promotion'], { require: 'verified' });
  const path = join(dir, 'ecs-chatops.yml');
  writeFileSync(path, doc.toString());
  return path;
}

/** Returns 0 when every step ended as it should (deploy 0, promotion 0, refusal 4), else 3. */
export async function runPromotionDemo(
  options: RunDemoOptions,
): Promise<{ exitCode: number; workDir: string; scenario: string }> {
  const world = await startSimWorld({ paceMs: options.paceMs, port: options.port, staging: true });
  const restoreEnv = withProcessEnv(world.env);
  const say = (text: string) => options.stderr?.write(text);
  try {
    const dir = options.workDir ?? mkdtempSync(join(options.env?.TMPDIR || tmpdir(), 'ecs-chatops-demo-'));
    const configPath = promotionConfig(world, dir);
    const env = { ...(options.env ?? process.env), ...world.env, ECS_CHATOPS_DB: join(dir, 'ecs-chatops.db') };
    const step = (title: string, args: string[]) => {
      say(`\n━━ ${title} ━━\n$ ecs-chatops ${args.join(' ')}\n\n`);
      return main(['--config', configPath, ...args, ...(options.json ? ['--json'] : [])], {
        stdout: options.stdout ?? process.stdout,
        stderr: options.stderr ?? process.stderr,
        env,
      });
    };
    say(
      `ecs-chatops demo: staging (backend-staging, cluster demo-staging) and production (backend, promotion.require: verified) on a simulated AWS world.\nConfig, database and reports go to ${dir}\n`,
    );
    const [, release2, release3] = world.images;
    const staged = await step('1/4 Deploy release 2 to staging', ['deploy', 'backend-staging', release2.tag]);
    const promoted = await step('2/4 Promote what staging runs to production: the same digest, with its changes', [
      'deploy',
      'backend',
      '--from',
      'backend-staging',
    ]);
    const refused = await step('3/4 Deploy release 3 to production: staging never verified it, so it is refused', [
      'deploy',
      'backend',
      release3.tag,
    ]);
    await step('4/4 The pipeline', ['status', 'backend']);
    const asExpected = staged === 0 && promoted === 0 && refused === 4;
    say(
      `\n━━ Demo done ━━\nstaging deploy exit ${staged}, promotion exit ${promoted}, unverified deploy exit ${refused} (refused).\n`,
    );
    return { exitCode: asExpected ? 0 : 3, workDir: dir, scenario: PROMOTION_DEMO };
  } finally {
    restoreEnv();
    await world.close();
  }
}
