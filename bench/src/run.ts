/**
 * `npm run bench`: every measurement, several runs each, into bench/results/latest.json and
 * bench/results/latest.md. Options: `--runs N` (default 3), `--quick` (one run of each, for a check
 * that everything still works and a rough figure), `--out DIR`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { measureDetection, stratifiedPace, type DetectionRun } from './detection';
import { measureManyDeploys, type ManyDeploysRun } from './many-deploys';
import { measureMetricsSpeed, renderMetricsSpeed } from './metrics-speed';
import { renderSummary } from './report';
import {
  summariseDetection,
  summariseMany,
  summariseServe,
  summariseSmoke,
  summariseStore,
  summariseWaiter,
  type BenchResults,
  type BenchSettings,
} from './results';
import { measureSdkWaiter } from './sdk-waiter';
import { measureSharedStore, type SharedStoreRun } from './shared-store';
import { runServeSession, type ServeSessionRun } from './serve-session';
import { measureSmokeWall, type SmokeWallRun } from './smoke-wall';
import { checkTargets } from './targets';
import { measureStuckRollback, renderStuck, summariseStuck } from './stuck-rollback';
import { measureTimeToSafety, renderSafety, summariseSafety } from './time-to-safety';

const log = (text: string) => process.stderr.write(`[bench] ${text}\n`);

/** Runs of each measurement by default: enough for a median, and the whole bench fits in 10 minutes on 2 CPUs. */
const DEFAULT_RUNS = 3;
/** Serve sessions each wait about 85 s for twenty paced Slack threads, so at most two of them. */
const MAX_SERVE_RUNS = 2;
/** Shared-store runs start dynalite and race 40 deploys five times each (about 45 s): at most two. */
const MAX_STORE_RUNS = 2;

function parseArgs(argv: string[]): { runs: number; quick: boolean; out: string } {
  let runs: number | undefined;
  let quick = false;
  // Compiled to dist-bench/bench/src: three levels below the repository root.
  let out = resolve(__dirname, '..', '..', '..', 'bench', 'results');
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--runs') runs = Math.max(1, Math.min(20, Number(argv[(i += 1)]) || DEFAULT_RUNS));
    else if (argv[i] === '--quick') quick = true;
    else if (argv[i] === '--out') out = resolve(argv[(i += 1)] ?? '.');
  }
  return { runs: runs ?? (quick ? 1 : DEFAULT_RUNS), quick, out };
}

/**
 * What `--quick` cuts: repetitions inside a run, never a case: fewer signed commands behind the ack
 * percentiles, fewer lock round trips behind the lock latency, fewer race rounds. And the SDK waiter,
 * which sleeps at least 15 s between its polls, runs alongside the serve session instead of after it.
 */
function repetitions(quick: boolean) {
  return quick
    ? { ackRequests: 200, lockRounds: 50, raceRounds: 2, waiterAlongside: true }
    : { ackRequests: 500, lockRounds: 200, raceRounds: 5, waiterAlongside: false };
}

const measureWaiter = () => measureSdkWaiter(3, 300);

async function repeat<T>(
  name: string,
  runs: number,
  once: (i: number) => Promise<T>,
  show: (r: T) => string,
): Promise<T[]> {
  const results: T[] = [];
  const started = Date.now();
  for (let i = 0; i < runs; i += 1) {
    const r = await once(i);
    log(`${name} ${i + 1}/${runs}: ${show(r)} (${seconds(started)} s so far)`);
    results.push(r);
  }
  return results;
}

const seconds = (since: number) => Math.round((Date.now() - since) / 1000);

async function main(): Promise<void> {
  const { runs, quick, out } = parseArgs(process.argv.slice(2));
  const reps = repetitions(quick);
  const settings: BenchSettings = {
    runs,
    quick,
    serveRuns: Math.min(runs, MAX_SERVE_RUNS),
    ackRequests: reps.ackRequests,
    ackConcurrency: 20,
    smokeDelayMs: 300,
    pollMs: 2000,
    deploys: 20,
    clusters: 2,
  };
  const started = Date.now();
  const environment = {
    node: process.versions.node,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus().length,
    loadAverage: loadavg(),
  };

  await measureSmokeWall(settings.smokeDelayMs); // warm-up, not counted
  const smoke = await repeat<SmokeWallRun>(
    'smoke',
    runs,
    () => measureSmokeWall(settings.smokeDelayMs),
    (r) =>
      `ours ${r.concurrentMs.toFixed(0)} ms, serial ${r.serialMs.toFixed(0)} ms, ${r.vsSlowest.toFixed(2)}× slowest`,
  );

  const pairs = await repeat(
    'detection',
    runs,
    (i) => {
      const pace = stratifiedPace(i, runs, settings.pollMs);
      return Promise.all([
        measureDetection('healthy', settings.pollMs, pace),
        measureDetection('circuit-breaker', settings.pollMs, pace),
      ]);
    },
    ([c, f]) =>
      `COMPLETED→end ${c.detectionMs} ms (${c.outcome}), FAILED→rollback ${f.noticedMs ?? '–'} ms (${f.outcome}), slack ${c.slack.total} calls`,
  );
  const completed: DetectionRun[] = pairs.map(([c]) => c);
  const failed: DetectionRun[] = pairs.map(([, f]) => f);

  const many = await repeat<ManyDeploysRun>(
    'many deploys',
    runs,
    (i) =>
      measureManyDeploys(
        settings.deploys,
        settings.clusters,
        settings.pollMs,
        stratifiedPace(i, runs, settings.pollMs),
      ),
    (r) =>
      `${r.succeeded}/${r.deploys} succeeded, detection median ${r.detectionMedianMs} ms, DescribeServices/cluster/poll ${r.describeServicesPerClusterPerPoll}`,
  );

  // Each session waits for twenty deploy threads paced at Slack's 1 message/s per channel.
  const waiterStarted = Date.now();
  const waiterAlongside = reps.waiterAlongside ? measureWaiter() : undefined;
  // Awaited below; this only keeps a failure meanwhile from counting as unhandled.
  waiterAlongside?.catch(() => undefined);
  const serve = await repeat<ServeSessionRun>(
    'serve',
    settings.serveRuns,
    () =>
      runServeSession({
        ackRequests: settings.ackRequests,
        ackConcurrency: settings.ackConcurrency,
        deploys: settings.deploys,
        clusters: settings.clusters,
        pollMs: settings.pollMs,
        deployTimeoutMs: 90_000,
      }),
    (r) =>
      `ready ${r.readyMs.toFixed(0)} ms, idle ${r.idleRssMb} MB, ack p50 ${r.ack.p50} p99 ${r.ack.p99} ms, ${r.deploysSucceeded}/${settings.deploys} deploys, ${r.rssAfterDeploysMb} MB after`,
  );

  const store = await repeat<SharedStoreRun>(
    'shared store',
    Math.min(runs, MAX_STORE_RUNS),
    (i) => measureSharedStore(i, { raceRounds: reps.raceRounds, lockRounds: reps.lockRounds }),
    (r) =>
      `lock median ${r.lock.dynamodb.medianMs} ms (SQLite ${r.lock.sqlite.medianMs}), double holders ${r.race.doubleHolders}/${r.race.rounds}, deploy store time +${r.deploy.extraMs} ms`,
  );

  const safetyRuns = (
    await repeat(
      'time to safety',
      runs,
      () => Promise.all([measureTimeToSafety('blue-green'), measureTimeToSafety('rolling')]),
      ([b, r]) => `blue/green ${b.toSafetyMs} ms (${b.outcome}), rolling ${r.toSafetyMs} ms (${r.outcome})`,
    )
  ).flat();
  const safety = summariseSafety(safetyRuns);

  const metricsSpeed = await measureMetricsSpeed();
  log(
    `delivery metrics, ${metricsSpeed.changes} changes of ${metricsSpeed.services} services over a year: SQLite ${metricsSpeed.sqlite.allMedianMs} ms, DynamoDB ${metricsSpeed.dynamodb.allMedianMs} ms (median)`,
  );

  const stuck = summariseStuck(
    await repeat(
      'stuck rollback',
      Math.min(runs, 3),
      () => measureStuckRollback(settings.pollMs),
      (r) => `event → stop ${r.eventToStopMs} ms, first stopped task → stop ${r.taskToStopMs} ms (${r.outcome})`,
    ),
    settings.pollMs,
  );

  if (!waiterAlongside) log('SDK waitUntilServicesStable: one run, 3 services at once (about 15–30 s)');
  const waiter = await (waiterAlongside ?? measureWaiter());
  log(`SDK waiter: ${seconds(waiterStarted)} s`);

  const { ack, footprint } = summariseServe(serve);
  const results: BenchResults = {
    generatedAt: new Date().toISOString(),
    environment,
    settings,
    ack,
    smoke: summariseSmoke(smoke),
    detection: { completed: summariseDetection(completed), failed: summariseDetection(failed) },
    many: summariseMany(many),
    footprint,
    store: summariseStore(store),
    comparison: { sdkWaiter: summariseWaiter(waiter) },
    runs: { ack: serve.map((s) => s.ack), smoke, completed, failed, many, serve, sdkWaiter: waiter, store },
  };
  const checks = checkTargets(results);
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'latest.json'),
    `${JSON.stringify({ ...results, targets: checks, timeToSafety: safety, stuckRollback: stuck, deliveryMetrics: metricsSpeed }, null, 2)}\n`,
  );
  const markdown = `${renderSummary(results, checks)}\n${renderSafety(safety)}\n${renderStuck(stuck)}\n${renderMetricsSpeed(metricsSpeed)}`;
  writeFileSync(join(out, 'latest.md'), markdown);
  process.stdout.write(`${markdown}\n`);
  log(`done in ${seconds(started)} s; wrote ${join(out, 'latest.json')} and latest.md`);
}

// The SDK warns on start that releases after January 2027 need Node 22; not news in a benchmark.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
main().catch((e: unknown) => {
  process.stderr.write(`[bench] failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
