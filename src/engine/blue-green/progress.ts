/**
 * Where a blue/green, linear or canary deployment stands, read from ECS's service-deployment
 * record: the stage, the traffic on green, the bake time left, and when test traffic is on green.
 * Pure functions only.
 */
import type { TrafficProgress } from '../model';
import { pausedHook, type LifecycleStage, type ServiceDeployment } from '../service-deployment';

/** The stages after which production traffic may be on green while blue still stands. */
const PRODUCTION_STAGES = new Set<LifecycleStage>([
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
]);

export function productionOnGreen(d: Pick<ServiceDeployment, 'targetRevision'>): number | null {
  return d.targetRevision?.productionTrafficWeight ?? null;
}

/**
 * Whether the checks on test traffic can run now: green takes the test traffic (ECS says 100 %,
 * or the stage says so) and no production traffic has moved yet. With a PAUSE hook after the
 * test shift (`pausesAfterTest`), they wait for it, so that a failure answers the hook.
 */
export function readyForTestChecks(
  d: Pick<ServiceDeployment, 'lifecycleStage' | 'targetRevision' | 'hooks' | 'status'>,
  pausesAfterTest: boolean,
): boolean {
  const production = productionOnGreen(d) ?? 0;
  if (production > 0) return false;
  const test = d.targetRevision?.testTrafficWeight ?? null;
  if (d.lifecycleStage === 'POST_TEST_TRAFFIC_SHIFT') return true;
  if (pausedHook(d) && test !== null && test >= 100) return true;
  return !pausesAfterTest && d.lifecycleStage === 'TEST_TRAFFIC_SHIFT' && test !== null && test >= 100;
}

/** Production traffic is (partly) on green while blue still stands: the window the bake watch covers. */
export function inProductionWindow(d: Pick<ServiceDeployment, 'lifecycleStage' | 'targetRevision'>): boolean {
  if (!d.lifecycleStage || !PRODUCTION_STAGES.has(d.lifecycleStage)) return false;
  const production = productionOnGreen(d);
  return production === null || production > 0;
}

/** The progress event for a record; `bakeSince` is when we first saw BAKE_TIME (epoch ms). */
export function trafficProgress(d: ServiceDeployment, now: number, bakeSince: number | null): TrafficProgress {
  const bakeMs = (d.bakeTimeInMinutes ?? 0) * 60_000;
  const bakeLeftMs =
    d.lifecycleStage === 'BAKE_TIME' && bakeSince !== null ? Math.max(0, bakeMs - (now - bakeSince)) : null;
  return {
    strategy: d.strategy,
    stage: d.lifecycleStage,
    status: d.status,
    production: productionOnGreen(d),
    test: d.targetRevision?.testTrafficWeight ?? null,
    bakeLeftMs,
  };
}

/** A key that changes when anything people see changes (bake time by the second). */
export function progressKey(p: TrafficProgress): string {
  return [p.status, p.stage, p.production, p.test, p.bakeLeftMs === null ? '' : Math.ceil(p.bakeLeftMs / 1000)].join(
    '|',
  );
}

/** "BAKE_TIME · production 100% on green · bake 42s left", for terminals and reports. */
export function describeTraffic(p: TrafficProgress): string {
  const parts: string[] = [p.stage ?? p.status];
  if (p.production !== null) parts.push(`production ${p.production}% on green / ${100 - p.production}% on blue`);
  if (p.test !== null && p.production === 0) parts.push(`test traffic ${p.test}% on green`);
  if (p.bakeLeftMs !== null) parts.push(`bake ${Math.ceil(p.bakeLeftMs / 1000)}s left`);
  return parts.join(' · ');
}
