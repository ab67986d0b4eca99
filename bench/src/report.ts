/** bench/results/latest.md: the targets, the figures behind them, and the comparison with the alternatives. */
import type { BenchResults, DetectionSummary } from './results';
import type { Spread } from './stats';
import type { TargetCheck } from './targets';

/** `median (min–max)` */
export function fmt(s: Spread, unit = ''): string {
  if (!Number.isFinite(s.median)) return 'n/a';
  const u = unit ? ` ${unit}` : '';
  // Milliseconds read better whole; the JSON keeps the decimals.
  const n = (v: number) => (unit === 'ms' ? String(Math.round(v)) : String(v));
  return s.min === s.max ? `${n(s.median)}${u}` : `${n(s.median)}${u} (${n(s.min)}–${n(s.max)})`;
}

const byKey = (m: Record<string, Spread>) =>
  Object.entries(m)
    .map(([k, v]) => `${k} ${fmt(v)}`)
    .join(', ');

export function renderSummary(r: BenchResults, checks: TargetCheck[]): string {
  const s = r.settings;
  const lines = [
    '# Benchmark results',
    '',
    `${r.generatedAt}, Node ${r.environment.node}, ${r.environment.platform}, ${r.environment.cpus} CPUs (load average at start ${r.environment.loadAverage.map((l) => l.toFixed(2)).join(' ')}). `,
    `Each figure: median of ${s.runs} runs (serve session, ack and footprint: ${s.serveRuns}), with (min–max)${s.quick ? ' (`--quick`: fewer repetitions inside each run, rough figures)' : ''}. Simulated AWS on 127.0.0.1, fake Slack Web API on 127.0.0.1, \`timeouts.poll\` ${s.pollMs} ms.`,
    '',
    '## Targets',
    '',
    '| measure | target | ours (median) | met |',
    '| --- | --- | --- | --- |',
    ...checks.map((c) => `| ${c.name} | ${c.target} | ${c.value} | ${c.met ? 'yes' : '**no**'} |`),
    '',
    ...missNotes(checks),
    '## Comparison',
    '',
    ...comparisonTable(r),
    '',
    '## Figures',
    '',
    `**Ack latency** (\`serve\` process in HTTP mode, signed \`/status\` commands, ${s.ackRequests} requests at ${s.ackConcurrency} concurrent over keep-alive, client in a worker thread): ` +
      `p50 ${fmt(r.ack.p50Ms, 'ms')}, p99 ${fmt(r.ack.p99Ms, 'ms')}, max ${fmt(r.ack.maxMs, 'ms')}, ${fmt(r.ack.requestsPerSecond)} requests/s, ${r.ack.failedRequests} not answered 200.`,
    '',
    `**Smoke suite** (every endpoint answers after ${s.smokeDelayMs} ms): ours ${fmt(r.smoke.concurrentMs, 'ms')}, serial ${fmt(r.smoke.serialMs, 'ms')}, slowest single check ${fmt(r.smoke.slowestCheckMs, 'ms')}; ` +
      `ours/slowest ${fmt(r.smoke.vsSlowest)}×, serial/ours ${fmt(r.smoke.speedup)}×; all checks passed: ${r.smoke.allPassed ? 'yes' : 'no'}.`,
    '',
    ...detectionLines('One deploy, rollout COMPLETED', r.detection.completed),
    '',
    ...detectionLines('One deploy, circuit breaker (FAILED, ECS rolls back)', r.detection.failed),
    '',
    `**${s.deploys} deploys at once** (${s.clusters} clusters, one engine, one thread each): succeeded ${fmt(r.many.succeeded)} of ${s.deploys} (dropped in all runs: ${r.many.dropped}); ` +
      `window ${fmt(r.many.windowMs, 'ms')}; detection median ${fmt(r.many.detectionMedianMs, 'ms')} (poll wait ${fmt(r.many.pollWaitMedianMs, 'ms')}, verification ${fmt(r.many.verifyMedianMs, 'ms')}), worst ${fmt(r.many.detectionMaxMs, 'ms')}.`,
    `AWS calls per second over the window: ${byKey(r.many.awsPerSecond)}. DescribeServices while watching: ${fmt(r.many.describeServicesPerClusterPerPoll)} per cluster per poll, up to ${fmt(r.many.maxServicesPerDescribe)} services per call ` +
      `(the rest of the window's DescribeServices are each deploy's one read of the service before it starts).`,
    `Slack: ${fmt(r.many.slackPerSecond)} calls/s on average, ${fmt(r.many.slackPeakPerSecond)} in the busiest second; by method ${byKey(r.many.slackCalls)}; chat.update per message per second at most ${fmt(r.many.maxUpdatesPerMessagePerSecond)}.`,
    '',
    ...storeLines(r),
    '',
    `**Footprint** (\`node bin/ecs-chatops.js serve\`, HTTP mode, ${s.deploys} services): ready (spawn → \`/healthz\` 200) ${fmt(r.footprint.readyMs, 'ms')}; RSS idle ${fmt(r.footprint.idleRssMb, 'MB')}, ` +
      `after ${s.ackRequests + 50} commands ${fmt(r.footprint.rssAfterCommandsMb, 'MB')}, after ${s.deploys} deploys through Slack ${fmt(r.footprint.rssAfterDeploysMb, 'MB')} ` +
      `(deploys reported succeeded: ${fmt(r.footprint.deploysSucceeded)}, slowest command → outcome ${fmt(r.footprint.slowestDeployMs, 'ms')}).`,
    '',
  ];
  return lines.join('\n');
}

function detectionLines(title: string, d: DetectionSummary): string[] {
  const failed = d.noticedMs
    ? ` FAILED → rollback started ${fmt(d.noticedMs, 'ms')}; rollback COMPLETED → final event ${fmt(d.rollbackDetectionMs!, 'ms')}.`
    : ` Of which poll wait ${fmt(d.pollWaitMs, 'ms')}, verification ${fmt(d.verifyMs, 'ms')}.`;
  return [
    `**${title}** (outcomes: ${Object.entries(d.outcomes)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}): mark → final event ${fmt(d.detectionMs, 'ms')}.${failed} Whole change ${fmt(d.changeMs, 'ms')}.`,
    `AWS calls per deploy: ${byKey(d.awsCalls)} (total ${fmt(d.awsTotal)}). Slack calls per deploy: ${byKey(d.slackCalls)} (total ${fmt(d.slackTotal)}); chat.update per message per second at most ${fmt(d.maxUpdatesPerMessagePerSecond)}.`,
  ];
}

function missNotes(checks: TargetCheck[]): string[] {
  const missed = checks.filter((c) => !c.met);
  const close = checks.flatMap((c) => (c.close ? [{ name: c.name, close: c.close }] : []));
  const out = missed.length
    ? [
        '### Missed, why, and what it would take',
        '',
        ...missed.map((c) => `- **${c.name}** (${c.value}, target ${c.target}): ${c.note}`),
        '',
      ]
    : ['Every target met.', ''];
  if (close.length) out.push('### Met by the median only', '', ...close.map((c) => `- **${c.name}**: ${c.close}`), '');
  return out;
}

/** The short table for the README: our figures beside the obvious alternatives, measured the same way. */
export function comparisonTable(r: BenchResults): string[] {
  const w = r.comparison.sdkWaiter;
  const c = r.detection.completed;
  // A run that made no DescribeServices call has no key for it.
  const describes: Spread =
    'DescribeServices' in c.awsCalls ? c.awsCalls.DescribeServices : { median: 0, min: 0, max: 0, runs: [] };
  return [
    '| | ecs-chatops | alternative |',
    '| --- | --- | --- |',
    `| Rollout end noticed (COMPLETED → done) | ${fmt(c.pollWaitMs, 'ms')} (poll every ${r.settings.pollMs / 1000} s), ${fmt(c.detectionMs, 'ms')} including targets, smoke and logs | SDK \`waitUntilServicesStable\`: ${fmt(w.detectionMs, 'ms')} (${w.samples} samples; first poll at once, then ≥ 15 s apart) |`,
    `| DescribeServices per watched deploy | ${fmt(describes)} (shared per cluster, up to 10 services per call) | ${fmt(w.describeServicesCalls)} per service, never shared |`,
    `| ${r.settings.deploys} deploys at once: DescribeServices while watching | ${fmt(r.many.describeServicesPerClusterPerPoll)} call per cluster per ${r.settings.pollMs / 1000} s | one call per service per poll |`,
    `| Ten smoke checks, each endpoint 300 ms | ${fmt(r.smoke.concurrentMs, 'ms')} (concurrent) | ${fmt(r.smoke.serialMs, 'ms')} (one after another, as the bash script) |`,
    `| Slack calls per deploy | ${fmt(c.slackTotal)} (≤ 1 update per message per second) | n/a |`,
  ];
}

function storeLines(r: BenchResults): string[] {
  const st = r.store;
  return [
    `**Shared store** (DynamoDB through the SDK on a local DynamoDB-compatible server, dynalite, beside a SQLite file): lock acquire + release ` +
      `median ${fmt(st.lockMedianMs.dynamodb, 'ms')} (SQLite ${fmt(st.lockMedianMs.sqlite, 'ms')}), p99 ${fmt(st.lockP99Ms.dynamodb, 'ms')} (SQLite ${fmt(st.lockP99Ms.sqlite, 'ms')}). ` +
      `2 replicas × ${st.attemptsPerRound / 2} concurrent deploy attempts on one service, ${st.raceRounds} rounds: ${st.doubleHolders} rounds with two changes running (exactly one ran in every other). ` +
      `One simulated deploy spent ${fmt(st.deployStoreMs.dynamodb, 'ms')} in ${fmt(st.deployStoreCalls)} store calls on DynamoDB against ${fmt(st.deployStoreMs.sqlite, 'ms')} on SQLite: ` +
      `${fmt(st.deployExtraMs, 'ms')} more, summed over calls (some overlap the rollout), in a deploy of ${fmt(st.deployMs, 'ms')}.`,
  ];
}
