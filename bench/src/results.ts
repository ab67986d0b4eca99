/** The shape of bench/results/latest.json, and how the per-run measurements fold into it. */
import type { AckRun } from './ack-latency';
import type { DetectionRun } from './detection';
import type { ManyDeploysRun } from './many-deploys';
import type { WaiterSample } from './sdk-waiter';
import type { ServeSessionRun } from './serve-session';
import type { SharedStoreRun } from './shared-store';
import type { SmokeWallRun } from './smoke-wall';
import { spread, spreadByKey, type Spread } from './stats';

export interface BenchSettings {
  runs: number;
  /** `--quick`: one run of each measure, with fewer repetitions inside it (see run.ts). */
  quick: boolean;
  /** Runs of the serve session (ack latency, footprint): at most two, each waits about 85 s for Slack's pacing. */
  serveRuns: number;
  ackRequests: number;
  ackConcurrency: number;
  smokeDelayMs: number;
  pollMs: number;
  deploys: number;
  clusters: number;
}

export interface DetectionSummary {
  outcomes: Record<string, number>;
  detectionMs: Spread;
  pollWaitMs: Spread;
  verifyMs: Spread;
  noticedMs?: Spread;
  rollbackDetectionMs?: Spread;
  changeMs: Spread;
  awsCalls: Record<string, Spread>;
  awsTotal: Spread;
  slackCalls: Record<string, Spread>;
  slackTotal: Spread;
  maxUpdatesPerMessagePerSecond: Spread;
}

export interface BenchResults {
  generatedAt: string;
  environment: { node: string; platform: string; cpus: number; loadAverage: number[] };
  settings: BenchSettings;
  ack: { p50Ms: Spread; p99Ms: Spread; maxMs: Spread; requestsPerSecond: Spread; failedRequests: number };
  smoke: {
    concurrentMs: Spread;
    serialMs: Spread;
    slowestCheckMs: Spread;
    vsSlowest: Spread;
    speedup: Spread;
    allPassed: boolean;
  };
  detection: { completed: DetectionSummary; failed: DetectionSummary };
  many: {
    succeeded: Spread;
    dropped: number;
    windowMs: Spread;
    detectionMedianMs: Spread;
    detectionMaxMs: Spread;
    pollWaitMedianMs: Spread;
    verifyMedianMs: Spread;
    awsPerSecond: Record<string, Spread>;
    describeServicesPerClusterPerPoll: Spread;
    maxServicesPerDescribe: Spread;
    slackPerSecond: Spread;
    slackPeakPerSecond: Spread;
    slackCalls: Record<string, Spread>;
    maxUpdatesPerMessagePerSecond: Spread;
  };
  footprint: {
    readyMs: Spread;
    idleRssMb: Spread;
    rssAfterCommandsMb: Spread;
    rssAfterDeploysMb: Spread;
    deploysSucceeded: Spread;
    slowestDeployMs: Spread;
  };
  /** The shared DynamoDB store on a local DynamoDB-compatible server, beside SQLite. */
  store: {
    lockMedianMs: { dynamodb: Spread; sqlite: Spread };
    lockP99Ms: { dynamodb: Spread; sqlite: Spread };
    raceRounds: number;
    attemptsPerRound: number;
    doubleHolders: number;
    deployStoreMs: { dynamodb: Spread; sqlite: Spread };
    deployExtraMs: Spread;
    deployStoreCalls: Spread;
    deployMs: Spread;
  };
  comparison: {
    sdkWaiter: {
      samples: number;
      detectionMs: Spread;
      describeServicesCalls: Spread;
      waitedMs: Spread;
      states: string[];
    };
  };
  runs: {
    ack: AckRun[];
    smoke: SmokeWallRun[];
    completed: DetectionRun[];
    failed: DetectionRun[];
    many: ManyDeploysRun[];
    serve: ServeSessionRun[];
    sdkWaiter: WaiterSample[];
    store: SharedStoreRun[];
  };
}

const pick = <T>(runs: T[], f: (r: T) => number | undefined): Spread => spread(runs.map((r) => f(r) ?? Number.NaN));

export function summariseDetection(runs: DetectionRun[]): DetectionSummary {
  const failedKind = runs.some((r) => r.noticedMs !== undefined);
  return {
    outcomes: runs.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.outcome]: (acc[r.outcome] ?? 0) + 1 }), {}),
    detectionMs: pick(runs, (r) => r.detectionMs),
    pollWaitMs: pick(runs, (r) => r.pollWaitMs),
    verifyMs: pick(runs, (r) => r.verifyMs),
    ...(failedKind
      ? { noticedMs: pick(runs, (r) => r.noticedMs), rollbackDetectionMs: pick(runs, (r) => r.rollbackDetectionMs) }
      : {}),
    changeMs: pick(runs, (r) => r.changeMs),
    awsCalls: spreadByKey(runs.map((r) => r.awsCalls)),
    awsTotal: pick(runs, (r) => r.awsTotal),
    slackCalls: spreadByKey(runs.map((r) => r.slack.byMethod)),
    slackTotal: pick(runs, (r) => r.slack.total),
    maxUpdatesPerMessagePerSecond: pick(runs, (r) => r.slack.maxUpdatesPerMessagePerSecond),
  };
}

export function summariseMany(runs: ManyDeploysRun[]): BenchResults['many'] {
  return {
    succeeded: pick(runs, (r) => r.succeeded),
    dropped: runs.reduce((n, r) => n + r.dropped, 0),
    windowMs: pick(runs, (r) => r.windowMs),
    detectionMedianMs: pick(runs, (r) => r.detectionMedianMs),
    detectionMaxMs: pick(runs, (r) => r.detectionMaxMs),
    pollWaitMedianMs: pick(runs, (r) => r.pollWaitMedianMs),
    verifyMedianMs: pick(runs, (r) => r.verifyMedianMs),
    awsPerSecond: spreadByKey(runs.map((r) => r.awsPerSecond)),
    describeServicesPerClusterPerPoll: pick(runs, (r) => r.describeServicesPerClusterPerPoll),
    maxServicesPerDescribe: pick(runs, (r) => r.maxServicesPerDescribe),
    slackPerSecond: pick(runs, (r) => r.slackPerSecond),
    slackPeakPerSecond: pick(runs, (r) => r.slackPeakPerSecond),
    slackCalls: spreadByKey(runs.map((r) => r.slackCalls)),
    maxUpdatesPerMessagePerSecond: pick(runs, (r) => r.maxUpdatesPerMessagePerSecond),
  };
}

export function summariseServe(runs: ServeSessionRun[]): {
  ack: BenchResults['ack'];
  footprint: BenchResults['footprint'];
} {
  return {
    ack: {
      p50Ms: pick(runs, (r) => r.ack.p50),
      p99Ms: pick(runs, (r) => r.ack.p99),
      maxMs: pick(runs, (r) => r.ack.max),
      requestsPerSecond: pick(runs, (r) => r.ack.requestsPerSecond),
      failedRequests: runs.reduce((n, r) => n + r.ack.notOk, 0),
    },
    footprint: {
      readyMs: pick(runs, (r) => r.readyMs),
      idleRssMb: pick(runs, (r) => r.idleRssMb),
      rssAfterCommandsMb: pick(runs, (r) => r.rssAfterCommandsMb),
      rssAfterDeploysMb: pick(runs, (r) => r.rssAfterDeploysMb),
      deploysSucceeded: pick(runs, (r) => r.deploysSucceeded),
      slowestDeployMs: pick(runs, (r) => r.slowestDeployMs),
    },
  };
}

export function summariseSmoke(runs: SmokeWallRun[]): BenchResults['smoke'] {
  return {
    concurrentMs: pick(runs, (r) => r.concurrentMs),
    serialMs: pick(runs, (r) => r.serialMs),
    slowestCheckMs: pick(runs, (r) => r.slowestCheckMs),
    vsSlowest: pick(runs, (r) => r.vsSlowest),
    speedup: pick(runs, (r) => r.speedup),
    allPassed: runs.every((r) => r.allPassed),
  };
}

export function summariseWaiter(samples: WaiterSample[]): BenchResults['comparison']['sdkWaiter'] {
  return {
    samples: samples.length,
    detectionMs: pick(samples, (s) => s.detectionMs),
    describeServicesCalls: pick(samples, (s) => s.describeServicesCalls),
    waitedMs: pick(samples, (s) => s.waitedMs),
    states: samples.map((s) => s.state),
  };
}

export function summariseStore(runs: SharedStoreRun[]): BenchResults['store'] {
  return {
    lockMedianMs: {
      dynamodb: pick(runs, (r) => r.lock.dynamodb.medianMs),
      sqlite: pick(runs, (r) => r.lock.sqlite.medianMs),
    },
    lockP99Ms: { dynamodb: pick(runs, (r) => r.lock.dynamodb.p99Ms), sqlite: pick(runs, (r) => r.lock.sqlite.p99Ms) },
    raceRounds: runs.reduce((n, r) => n + r.race.rounds, 0),
    attemptsPerRound: runs[0]?.race.attemptsPerRound ?? 0,
    doubleHolders: runs.reduce((n, r) => n + r.race.doubleHolders, 0),
    deployStoreMs: {
      dynamodb: pick(runs, (r) => r.deploy.dynamodbStoreMs),
      sqlite: pick(runs, (r) => r.deploy.sqliteStoreMs),
    },
    deployExtraMs: pick(runs, (r) => r.deploy.extraMs),
    deployStoreCalls: pick(runs, (r) => r.deploy.storeCalls),
    deployMs: pick(runs, (r) => r.deploy.deployMs),
  };
}
