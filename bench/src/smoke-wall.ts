/**
 * Smoke-suite wall time against a target where every endpoint answers after a fixed delay:
 * our concurrent runner, against the same ten checks run one after another (as the original
 * bash script did), and against the slowest single check.
 */
import { parseConfig, getService } from '../../src/config/load';
import type { NamedService } from '../../src/config/schema';
import { runSmokeChecks, SMOKE_CHECKS } from '../../src/smoke/index';
import { startSlowTarget, TARGET_ORIGIN, TARGET_SHA } from './slow-target';

export interface SmokeWallRun {
  concurrentMs: number;
  serialMs: number;
  slowestCheckMs: number;
  slowestCheck: string;
  /** concurrent / slowest single check (target ≤ 1.3). */
  vsSlowest: number;
  /** serial / concurrent. */
  speedup: number;
  allPassed: boolean;
}

function benchService(baseUrl: string, httpUrl: string): NamedService {
  const yaml = [
    'region: us-east-1',
    'services:',
    '  target:',
    '    cluster: bench',
    '    service: target',
    '    container: app',
    '    ecrRepository: target',
    `    baseUrl: ${baseUrl}`,
    '    smoke:',
    `      httpUrl: ${httpUrl}`,
    `      corsOrigin: ${TARGET_ORIGIN}`,
  ].join('\n');
  return getService(parseConfig(yaml), 'target');
}

/** One measurement: the concurrent run, then each check alone in turn. */
export async function measureSmokeWall(delayMs: number): Promise<SmokeWallRun> {
  const target = await startSlowTarget(delayMs);
  try {
    const service = benchService(target.baseUrl, target.httpUrl);
    let started = performance.now();
    const run = await runSmokeChecks(service, { expectSha: TARGET_SHA });
    const concurrentMs = performance.now() - started;
    let serialMs = 0;
    let slowestCheckMs = 0;
    let slowestCheck = '';
    let serialPassed = true;
    for (const check of SMOKE_CHECKS) {
      started = performance.now();
      const one = await runSmokeChecks(service, { expectSha: TARGET_SHA, checks: [check] });
      const ms = performance.now() - started;
      serialMs += ms;
      serialPassed &&= one.passed;
      if (ms > slowestCheckMs) [slowestCheckMs, slowestCheck] = [ms, check.name];
    }
    return {
      concurrentMs,
      serialMs,
      slowestCheckMs,
      slowestCheck,
      vsSlowest: concurrentMs / slowestCheckMs,
      speedup: serialMs / concurrentMs,
      allPassed: run.passed && run.results.every((r) => r.status === 'pass') && serialPassed,
    };
  } finally {
    await target.close();
  }
}
