import { renderSummary } from '../../bench/src/report';
import type { BenchResults } from '../../bench/src/results';
import { spread } from '../../bench/src/stats';
import { checkTargets } from '../../bench/src/targets';

const s = (...runs: number[]) => spread(runs);

/** Results where every target is met, to be spoiled one figure at a time. */
function goodResults(): BenchResults {
  const detection = {
    outcomes: { succeeded: 3 },
    detectionMs: s(900, 1000, 1100),
    pollWaitMs: s(800, 900, 1000),
    verifyMs: s(100),
    changeMs: s(4000),
    awsCalls: { DescribeServices: s(4) },
    awsTotal: s(10),
    slackCalls: { 'chat.postMessage': s(9), 'chat.update': s(5) },
    slackTotal: s(16),
    maxUpdatesPerMessagePerSecond: s(1),
  };
  return {
    generatedAt: '2026-01-01T00:00:00.000Z',
    environment: { node: '20', platform: 'linux-x64', cpus: 2, loadAverage: [0, 0, 0] },
    settings: {
      runs: 3,
      quick: false,
      serveRuns: 2,
      ackRequests: 500,
      ackConcurrency: 20,
      smokeDelayMs: 300,
      pollMs: 2000,
      deploys: 20,
      clusters: 2,
    },
    ack: { p50Ms: s(8), p99Ms: s(20), maxMs: s(22), requestsPerSecond: s(2000), failedRequests: 0 },
    smoke: {
      concurrentMs: s(310),
      serialMs: s(3030),
      slowestCheckMs: s(305),
      vsSlowest: s(1.02),
      speedup: s(9.8),
      allPassed: true,
    },
    detection: {
      completed: detection,
      failed: { ...detection, outcomes: { rolled_back: 3 }, noticedMs: s(300), rollbackDetectionMs: s(1000) },
    },
    many: {
      succeeded: s(20),
      dropped: 0,
      windowMs: s(5000),
      detectionMedianMs: s(1200),
      detectionMaxMs: s(1400),
      pollWaitMedianMs: s(900),
      verifyMedianMs: s(300),
      awsPerSecond: { DescribeServices: s(5) },
      describeServicesPerClusterPerPoll: s(1),
      maxServicesPerDescribe: s(10),
      slackPerSecond: s(60),
      slackPeakPerSecond: s(150),
      slackCalls: { 'chat.update': s(100) },
      maxUpdatesPerMessagePerSecond: s(1),
    },
    footprint: {
      readyMs: s(500),
      idleRssMb: s(90, 95, 99),
      rssAfterCommandsMb: s(150),
      rssAfterDeploysMb: s(170),
      deploysSucceeded: s(20),
      slowestDeployMs: s(5000),
    },
    store: {
      lockMedianMs: { dynamodb: s(4), sqlite: s(0.05) },
      lockP99Ms: { dynamodb: s(20), sqlite: s(0.1) },
      raceRounds: 15,
      attemptsPerRound: 40,
      doubleHolders: 0,
      deployStoreMs: { dynamodb: s(250), sqlite: s(8) },
      deployExtraMs: s(242),
      deployStoreCalls: s(23),
      deployMs: s(500),
    },
    comparison: {
      sdkWaiter: {
        samples: 3,
        detectionMs: s(12600),
        describeServicesCalls: s(2),
        waitedMs: s(15000),
        states: ['SUCCESS'],
      },
    },
    runs: { ack: [], smoke: [], completed: [], failed: [], many: [], serve: [], sdkWaiter: [], store: [] },
  };
}

describe('checkTargets', () => {
  it('meets every target with good figures, and the summary says so', () => {
    const r = goodResults();
    const checks = checkTargets(r);
    expect(checks.filter((c) => !c.met)).toEqual([]);
    expect(renderSummary(r, checks)).toContain('Every target met.');
  });

  it('names a missed target with the median, and says why and what it would take', () => {
    const r = goodResults();
    r.ack.p99Ms = s(30, 41, 68);
    const checks = checkTargets(r);
    const ack = checks.find((c) => c.name === 'Ack latency p99');
    expect(ack).toMatchObject({ met: false, value: '41 ms' });
    const summary = renderSummary(r, checks);
    expect(summary).toContain('| Ack latency p99 | ≤ 25 ms | 41 ms | **no** |');
    expect(summary).toContain('what it would take');
  });

  it('counts a deploy dropped in any run as a miss, even when the median run is whole', () => {
    const r = goodResults();
    r.many.dropped = 1;
    r.many.succeeded = s(19, 20, 20);
    expect(checkTargets(r).find((c) => c.name.includes('none dropped'))).toMatchObject({
      met: false,
      value: '19/20 (worst run)',
    });
  });

  it('flags memory met by the median but not by every run', () => {
    const r = goodResults();
    r.footprint.idleRssMb = s(96, 98, 106);
    const rss = checkTargets(r).find((c) => c.name === 'Idle RSS of serve');
    expect(rss?.met).toBe(true);
    expect(rss?.close).toContain('96–106 MB');
  });

  it('counts any round with two changes running at once on the shared store as a miss', () => {
    const r = goodResults();
    r.store.doubleHolders = 1;
    expect(checkTargets(r).find((c) => c.name.startsWith('Shared store'))).toMatchObject({
      met: false,
      value: '1 of 15',
    });
    expect(renderSummary(r, checkTargets(r))).toContain('lock acquire + release median 4 ms');
  });
});
