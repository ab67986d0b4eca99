/**
 * Many deploys at once: N services spread over clusters, deployed together by one engine (each
 * reported in its own Slack thread through one WebClient). AWS and Slack calls per second, how
 * DescribeServices was shared, detection latency per deploy, and whether every deploy finished right.
 */
import { startSimWorld, type SimCall } from '../../src/sim/index';
import { awsCallsBetween, rolloutSeenAt, slackCost } from './detection';
import { createEngineRig } from './engine-rig';
import { startFakeSlack } from './fake-slack';
import { countBy, maxInWindow, median, round } from './stats';

export interface ManyDeploysRun {
  deploys: number;
  clusters: number;
  succeeded: number;
  /** Deploys that ended otherwise, or whose rollout the simulator never marked. */
  dropped: number;
  windowMs: number;
  detectionMedianMs: number;
  detectionMaxMs: number;
  /** Median of: mark → the engine seeing it; and seeing it → the change's end (verification). */
  pollWaitMedianMs: number;
  verifyMedianMs: number;
  /** AWS calls per second over the window, by operation. */
  awsPerSecond: Record<string, number>;
  awsCalls: Record<string, number>;
  /** DescribeServices calls per cluster per poll interval while rollouts were watched. */
  describeServicesPerClusterPerPoll: number;
  /** The most services one DescribeServices call carried. */
  maxServicesPerDescribe: number;
  slackPerSecond: number;
  slackPeakPerSecond: number;
  slackCalls: Record<string, number>;
  maxUpdatesPerMessagePerSecond: number;
}

/** @throws Error when the world cannot start. */
export async function measureManyDeploys(
  deploys: number,
  clusters: number,
  pollMs: number,
  paceMs: number,
): Promise<ManyDeploysRun> {
  const world = await startSimWorld({ services: deploys, clusters, pollMs, paceMs });
  const slack = await startFakeSlack();
  const rig = createEngineRig(world, slack);
  try {
    world.clearCalls();
    const started = Date.now();
    const outcomes = await Promise.all(world.services.map((s) => rig.deploy(s, world.images[1].tag)));
    const ended = Math.max(...outcomes.map((o) => o.finishedAt));
    const windowMs = ended - started;
    const marks = world.rolloutMarks();
    const timings = outcomes.flatMap((o) => {
      const mark = marks.find((m) => m.taskDefinition === o.result.toTaskDefinition && m.state === 'COMPLETED');
      const seen = rolloutSeenAt(o) ?? o.finishedAt;
      return mark ? [{ detection: o.finishedAt - mark.at, pollWait: seen - mark.at, verify: o.finishedAt - seen }] : [];
    });
    const detections = timings.map((t) => t.detection);
    const calls = awsCallsBetween(world.calls(), started, ended);
    const awsCalls = countBy(calls, (c) => c.operation);
    const slackCalls = slack.calls().filter((c) => c.at >= started);
    const cost = slackCost(slackCalls);
    const succeeded = outcomes.filter((o) => o.result.outcome === 'succeeded').length;
    const perSecond = (n: number) => round((n / windowMs) * 1000);
    return {
      deploys,
      clusters,
      succeeded,
      dropped: deploys - Math.min(succeeded, detections.length),
      windowMs,
      detectionMedianMs: round(median(detections)),
      detectionMaxMs: Math.max(...detections),
      pollWaitMedianMs: round(median(timings.map((t) => t.pollWait))),
      verifyMedianMs: round(median(timings.map((t) => t.verify))),
      awsPerSecond: Object.fromEntries(Object.entries(awsCalls).map(([k, v]) => [k, perSecond(v)])),
      awsCalls,
      describeServicesPerClusterPerPoll: describesPerPoll(calls, clusters, pollMs),
      maxServicesPerDescribe: Math.max(0, ...calls.filter((c) => c.operation === 'DescribeServices').map(servicesIn)),
      slackPerSecond: perSecond(cost.total),
      slackPeakPerSecond: maxInWindow(
        slackCalls.filter((c) => c.method !== 'respond' && c.method !== 'upload').map((c) => c.at),
        1000,
      ),
      slackCalls: cost.byMethod,
      maxUpdatesPerMessagePerSecond: cost.maxUpdatesPerMessagePerSecond,
    };
  } finally {
    await rig.close();
    await slack.close();
    await world.close();
  }
}

function servicesIn(call: SimCall): number {
  const s = call.params.services;
  return Array.isArray(s) ? s.length : 0;
}

/**
 * DescribeServices calls per cluster per poll interval, from the first shared (multi-service)
 * poll to the last one: the steady polling cost, without each deploy's own one-off reads.
 */
function describesPerPoll(calls: SimCall[], clusters: number, pollMs: number): number {
  const describes = calls.filter((c) => c.operation === 'DescribeServices');
  const shared = describes.filter((c) => servicesIn(c) > 1);
  if (shared.length === 0) return Number.NaN;
  const from = shared[0].at;
  const to = shared[shared.length - 1].at;
  const polls = Math.floor((to - from) / pollMs) + 1;
  const inWatch = describes.filter((c) => c.at >= from && c.at <= to).length;
  return round(inWatch / polls / clusters);
}
