/**
 * Time to safety: from the moment one of our checks fails on a live release to production
 * traffic back on the previous one (the production URL answering the old SHA, three reads in a
 * row). Blue/green (a failure in the bake: StopServiceDeployment ROLLBACK, a traffic switch to
 * blue, which still stands) against rolling (smoke fails on the new tasks: UpdateService back,
 * new old tasks started). Same simulator, engine, adapters and checks for both.
 */
import { startSimWorld } from '../../src/sim/index';
import { openStore } from '../../src/store/index';
import { BENCH_ACTOR, engineOn } from './engine-rig';
import { median, round } from './stats';

export interface SafetyRun {
  kind: 'blue-green' | 'rolling';
  outcome: string;
  /** Failing check → production answering the old SHA (ms). */
  toSafetyMs: number;
}

async function shaAt(url: string): Promise<string> {
  try {
    return ((await (await fetch(new URL('/api/v1/version', url))).json()) as { gitSha: string }).gitSha;
  } catch {
    return '';
  }
}

export async function measureTimeToSafety(kind: SafetyRun['kind']): Promise<SafetyRun> {
  const world = await startSimWorld({
    scenario: kind === 'blue-green' ? 'blue-green-bake-fail' : 'healthy',
    minuteMs: 60_000,
    autoContinue: true,
  });
  const store = openStore(':memory:');
  const { engine, close } = engineOn(world, store);
  try {
    if (kind === 'rolling') world.setScenario('wrong-version');
    const oldSha = world.images[0].sha;
    let failedAt = 0;
    let safeAt = 0;
    // Set by the event callback: an object, so that the read after the deploy is not narrowed to null.
    const check: { watching: Promise<void> | null } = { watching: null };
    const watch = async () => {
      let streak = 0;
      while (streak < 3 && Date.now() - failedAt < 120_000) {
        const sha = await shaAt(world.appUrl);
        streak = sha === oldSha ? streak + 1 : 0;
        if (streak === 1) safeAt = Date.now();
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const result = await engine.deploy({
      service: world.services[0],
      sha: world.images[1].tag,
      actor: BENCH_ACTOR,
      onEvent: (event) => {
        // The failing check: a smoke run with a failed check, or a phase that failed (whichever comes first).
        const failing =
          (event.type === 'smoke' && event.results.some((r) => r.status === 'fail')) ||
          (event.type === 'phase_finished' && event.result.status === 'failed') ||
          event.type === 'rollback_started';
        if (failing && !failedAt) {
          failedAt = Date.now();
          check.watching = watch();
        }
      },
    });
    if (check.watching) await check.watching;
    await engine.drain(5000);
    return { kind, outcome: result.outcome, toSafetyMs: failedAt && safeAt ? safeAt - failedAt : Number.NaN };
  } finally {
    await store.close();
    close();
    await world.close();
  }
}

export interface SafetySummary {
  blueGreenMs: number;
  rollingMs: number;
  /** How many times faster blue/green gets production back. */
  ratio: number;
  runs: SafetyRun[];
}

export function summariseSafety(runs: SafetyRun[]): SafetySummary {
  const of = (kind: SafetyRun['kind']) =>
    median(runs.filter((r) => r.kind === kind && Number.isFinite(r.toSafetyMs)).map((r) => r.toSafetyMs));
  const blueGreenMs = of('blue-green');
  const rollingMs = of('rolling');
  return { blueGreenMs: round(blueGreenMs), rollingMs: round(rollingMs), ratio: round(rollingMs / blueGreenMs), runs };
}

export function renderSafety(s: SafetySummary): string {
  return [
    '## Time to safety (failing check → production back on the previous release)',
    '',
    '| | median |',
    '| --- | --- |',
    `| blue/green: bake failure, traffic switched back to blue | ${(s.blueGreenMs / 1000).toFixed(2)} s |`,
    `| rolling: smoke failure, UpdateService back to the previous revision | ${(s.rollingMs / 1000).toFixed(2)} s |`,
    `| ratio | ${s.ratio}× |`,
    '',
  ].join('\n');
}
