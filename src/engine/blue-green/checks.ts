/**
 * Our own checks of green while ECS shifts traffic: before production moves (smoke against test
 * traffic, the green target group's health), and while production is on green and blue still
 * stands (smoke, logs, the deployment's alarms).
 */
import type { NamedService } from '../../config/schema';
import { describeError } from '../../errors';
import type { EngineContext } from '../context';
import type { ServiceDeployment, TrafficRouting } from '../service-deployment';
import { describeTargetCounts, waitForHealthyTargets } from '../watch/targets';
import type { SmokeResult, TargetHealth } from '../types';
import { smokeFailureReason } from '../watch/smoke-failure';

export interface CheckVerdict {
  passed: boolean;
  /** One line: what passed, or the first thing that failed. */
  reason: string;
  smoke: SmokeResult[];
  targets: TargetHealth[];
}

/** The production (blue) and alternate (green) target groups of this deployment. */
export interface TargetGroupSplit {
  blue: string | null;
  green: string | null;
}

/**
 * Tells which of the two target groups serves production now. ECS reports the service's target
 * group and the alternate one as configured; after each blue/green deployment production serves
 * from the other, so the one with healthy targets before green registers is blue.
 */
export async function splitTargetGroups(
  ctx: EngineContext,
  svc: NamedService,
  routing: TrafficRouting | undefined,
): Promise<TargetGroupSplit> {
  const main = routing?.targetGroupArn ?? svc.targetGroupArn ?? null;
  const alternate = routing?.alternateTargetGroupArn ?? null;
  if (!main || !alternate) return { blue: main, green: alternate };
  const healthy = async (arn: string) => {
    try {
      return (await ctx.elb.describeTargetHealth(svc.region, arn)).filter((t) => t.state === 'healthy').length;
    } catch {
      // An unreadable target group counts as none healthy: the split is then decided by the other one.
      return 0;
    }
  };
  const [onMain, onAlternate] = await Promise.all([healthy(main), healthy(alternate)]);
  return onAlternate > onMain ? { blue: alternate, green: main } : { blue: main, green: alternate };
}

/** Smoke against test traffic with the expected SHA, and green's target group healthy. */
export async function checkTestTraffic(
  ctx: EngineContext,
  svc: NamedService,
  o: { expectSha: string | null; greenTargetGroup: string | null; expectedTargets: number; signal?: AbortSignal },
): Promise<CheckVerdict> {
  const out: CheckVerdict = { passed: true, reason: '', smoke: [], targets: [] };
  const said: string[] = [];
  if (o.greenTargetGroup) {
    const arn = o.greenTargetGroup;
    const t = await waitForHealthyTargets({
      read: () => ctx.elb.describeTargetHealth(svc.region, arn),
      expected: Math.max(1, o.expectedTargets),
      clock: ctx.clock,
      timeoutMs: svc.timeouts.targetHealth,
      pollMs: svc.timeouts.poll,
      signal: o.signal,
      onChange: () => undefined,
    });
    out.targets = t.targets;
    if (!t.ok) return { ...out, passed: false, reason: `green target group: ${t.reason}` };
    said.push(`green targets ${describeTargetCounts(t.targets)}`);
  } else {
    said.push('no alternate target group to check');
  }
  const testable = Boolean(svc.smoke.testBaseUrl || svc.smoke.testHeader);
  if (!svc.baseUrl && !svc.smoke.testBaseUrl) {
    said.push('smoke skipped (no baseUrl)');
  } else if (!testable) {
    said.push('smoke on test traffic skipped (no smoke.testBaseUrl or smoke.testHeader)');
  } else {
    const run = await ctx.http.runSmoke(svc, {
      expectSha: o.expectSha ?? undefined,
      signal: o.signal,
      traffic: 'test',
    });
    out.smoke = run.results;
    if (!run.passed)
      return { ...out, passed: false, reason: `smoke on test traffic: ${smokeFailureReason(run.results)}` };
    said.push(
      `smoke on test traffic ${run.results.filter((r) => r.status === 'pass').length}/${run.results.length} passed`,
    );
  }
  return { ...out, reason: said.join(', ') };
}

/**
 * One round of the bake watch: the deployment's alarms, the error logs since production moved,
 * and (once all production traffic is on green) smoke with the expected SHA.
 */
export async function checkBake(
  ctx: EngineContext,
  svc: NamedService,
  o: {
    record: ServiceDeployment;
    expectSha: string | null;
    productionSince: number;
    fullyShifted: boolean;
    signal?: AbortSignal;
  },
): Promise<CheckVerdict> {
  const out: CheckVerdict = { passed: true, reason: 'bake checks passed', smoke: [], targets: [] };
  const alarms = o.record.alarms;
  if (alarms?.status === 'TRIGGERED') {
    const names = alarms.triggeredAlarmNames.length ? alarms.triggeredAlarmNames : alarms.alarmNames;
    return { ...out, passed: false, reason: `CloudWatch alarm ${names.join(', ') || '(unnamed)'} in ALARM` };
  }
  if (svc.logGroup && svc.logs.failOver !== undefined) {
    try {
      const r = await ctx.logs.filterLogEvents(svc.region, {
        logGroup: svc.logGroup,
        since: o.productionSince,
        until: ctx.clock.now(),
        pattern: svc.logs.errorPattern,
        maxEvents: 1000,
      });
      if (r.events.length >= svc.logs.failOver) {
        return {
          ...out,
          passed: false,
          reason: `${r.events.length} log line(s) matching ${JSON.stringify(svc.logs.errorPattern)} since production moved (fails at ${svc.logs.failOver})`,
        };
      }
    } catch (error) {
      ctx.logger.warn({ err: error, service: svc.name }, `bake: could not read logs: ${describeError(error)}`);
    }
  }
  // A split production listener answers from blue and green alike: the SHA is checked once all is on green.
  if (svc.baseUrl && o.fullyShifted) {
    const run = await ctx.http.runSmoke(svc, { expectSha: o.expectSha ?? undefined, signal: o.signal });
    out.smoke = run.results;
    if (!run.passed)
      return { ...out, passed: false, reason: `smoke on production: ${smokeFailureReason(run.results)}` };
  }
  return out;
}
