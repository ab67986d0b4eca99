/**
 * Eventual consistency: in the `eventual-consistency` scenario a write (UpdateService, Stop- or
 * ContinueServiceDeployment) applies at once, but DescribeServices and the service-deployment reads
 * keep answering with the service as it was before the write for `knobs.consistencyLagMs`.
 * `knobs.staleReadsEverywhere` adds the same lag to any other scenario (a crashing release, say).
 */
import { describeRecord } from './describe-deployment';
import { describeService } from './describe-service';
import { simNow, type SimService, type SimState } from './model';

function lagMs(state: SimState): number {
  return state.scenario === 'eventual-consistency' || state.knobs.staleReadsEverywhere
    ? Math.max(0, state.knobs.consistencyLagMs)
    : 0;
}

/** The ARN of the cluster `service` runs in (empty when the cluster is gone). */
export function clusterArnOf(state: SimState, service: SimService): string {
  return state.clusters.get(service.cluster)?.arn ?? '';
}

/** Call before a write: freezes the reads' view of `service` (a write within the lag extends it). */
export function freezeBeforeWrite(state: SimState, service: SimService): void {
  const lag = lagMs(state);
  if (lag <= 0) return;
  const now = simNow(state);
  if (service.lag && service.lag.until > now) {
    service.lag.until = now + lag;
    return;
  }
  const clusterArn = clusterArnOf(state, service);
  service.lag = {
    until: now + lag,
    service: structuredClone(describeService(service, clusterArn)),
    records: structuredClone(service.serviceDeployments.map((r) => describeRecord(service, clusterArn, r))),
  };
}

function frozen(state: SimState, service: SimService): SimService['lag'] {
  if (!service.lag) return undefined;
  if (service.lag.until > simNow(state)) return service.lag;
  service.lag = undefined;
  return undefined;
}

/** The stale DescribeServices view while a write has not propagated, else undefined. */
export function frozenService(state: SimState, service: SimService): Record<string, unknown> | undefined {
  return frozen(state, service)?.service;
}

/** The stale service-deployment records while a write has not propagated, else undefined. */
export function frozenRecords(state: SimState, service: SimService): Record<string, unknown>[] | undefined {
  return frozen(state, service)?.records;
}
