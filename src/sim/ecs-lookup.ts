/** Finding clusters and services the way ECS resolves names and ARNs. */
import type { SimCluster, SimService, SimState } from './model';
import { AwsError } from './wire';

export function nameOf(ref: string): string {
  return ref.startsWith('arn:') ? ref.slice(ref.lastIndexOf('/') + 1) : ref;
}

export function findCluster(state: SimState, ref: unknown): SimCluster | undefined {
  return state.clusters.get(nameOf(typeof ref === 'string' && ref ? ref : 'default'));
}

/** @throws AwsError `ClusterNotFoundException` */
export function requireCluster(state: SimState, ref: unknown): SimCluster {
  const cluster = findCluster(state, ref);
  if (!cluster) throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
  return cluster;
}

export function findService(cluster: SimCluster, ref: unknown): SimService | undefined {
  return typeof ref === 'string' ? cluster.services.find((s) => s.name === nameOf(ref)) : undefined;
}

/** @throws AwsError `ServiceNotFoundException` */
export function requireService(cluster: SimCluster, ref: unknown): SimService {
  const service = findService(cluster, ref);
  if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.');
  return service;
}
