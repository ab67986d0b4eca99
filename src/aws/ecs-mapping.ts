/**
 * ECS SDK shapes in, domain values out. Pure functions, no I/O.
 */
import type {
  RegisterTaskDefinitionCommandInput,
  Deployment as SdkDeployment,
  Service as SdkService,
  ServiceEvent as SdkServiceEvent,
  Tag as SdkTag,
  TaskDefinition as SdkTaskDefinition,
} from '@aws-sdk/client-ecs';
import type { Deployment, ServiceEvent, ServiceState, TaskDefinition } from '../engine/types';
import { CodedError, ErrorCodes } from '../errors';
import { toDeploymentStrategy } from './ecs-deployments-mapping';

/** Fields DescribeTaskDefinition returns that RegisterTaskDefinition does not accept. */
export const READ_ONLY_TASK_DEFINITION_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
] as const;

const ROLLOUT_STATES = new Set<string>(['IN_PROGRESS', 'COMPLETED', 'FAILED']);

function toDeployment(d: SdkDeployment): Deployment {
  return {
    id: d.id ?? '',
    status: d.status ?? '',
    taskDefinition: d.taskDefinition ?? '',
    desiredCount: d.desiredCount ?? 0,
    runningCount: d.runningCount ?? 0,
    pendingCount: d.pendingCount ?? 0,
    failedTasks: d.failedTasks ?? 0,
    rolloutState: d.rolloutState && ROLLOUT_STATES.has(d.rolloutState) ? d.rolloutState : undefined,
    rolloutStateReason: d.rolloutStateReason,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

function toEvents(events: SdkServiceEvent[] | undefined): ServiceEvent[] {
  const mapped = (events ?? []).map((e) => ({
    id: e.id ?? '',
    createdAt: e.createdAt ?? new Date(0),
    message: e.message ?? '',
  }));
  // ECS already sends newest first; sorting (stable) keeps that true whatever arrives.
  return mapped.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

/** Maps a described service; `cluster` is the name the caller used. */
export function toServiceState(cluster: string, s: SdkService): ServiceState {
  const deployments = (s.deployments ?? []).map(toDeployment);
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  const breaker = s.deploymentConfiguration?.deploymentCircuitBreaker;
  return {
    cluster,
    serviceName: s.serviceName ?? '',
    serviceArn: s.serviceArn,
    status: s.status ?? '',
    taskDefinition: primary?.taskDefinition || s.taskDefinition || '',
    desiredCount: s.desiredCount ?? 0,
    runningCount: s.runningCount ?? 0,
    pendingCount: s.pendingCount ?? 0,
    deployments,
    events: toEvents(s.events),
    circuitBreaker: breaker ? { enable: breaker.enable === true, rollback: breaker.rollback === true } : undefined,
    deploymentStrategy: toDeploymentStrategy(s),
  };
}

/** Drops undefined/null values and empty arrays, recursively: the noise RegisterTaskDefinition rejects or ignores. */
export function pruneEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pruneEmpty);
  if (value instanceof Date || typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[key] = pruneEmpty(v);
  }
  return out;
}

/** The definition as RegisterTaskDefinition accepts it: read-only fields stripped, no empty noise. */
export function toRegistrable(td: SdkTaskDefinition): Record<string, unknown> {
  const readOnly = new Set<string>(READ_ONLY_TASK_DEFINITION_FIELDS);
  const copy = Object.fromEntries(Object.entries(td).filter(([field]) => !readOnly.has(field)));
  return pruneEmpty(copy) as Record<string, unknown>;
}

/** Maps a described or registered task definition with the tags that came beside it. */
export function toTaskDefinition(td: SdkTaskDefinition, tags: SdkTag[] | undefined): TaskDefinition {
  return {
    arn: td.taskDefinitionArn ?? '',
    family: td.family ?? '',
    revision: td.revision ?? 0,
    containers: (td.containerDefinitions ?? []).map((c) => ({
      name: c.name ?? '',
      image: c.image ?? '',
      essential: c.essential,
    })),
    tags: (tags ?? []).flatMap((t) => (t.key === undefined ? [] : [{ key: t.key, value: t.value ?? '' }])),
    registrable: toRegistrable(td),
  };
}

/** `family:revision` from an ARN or a definition, for messages. */
export function familyRevision(td: Pick<TaskDefinition, 'arn' | 'family' | 'revision'>): string {
  if (td.family && td.revision) return `${td.family}:${td.revision}`;
  return td.arn.split('/').pop() || td.arn;
}

/**
 * The RegisterTaskDefinition input that clones `from` with only `container`'s image replaced.
 * Every other field and container is copied as it is; tags go back at the top level when there are any.
 * @throws CodedError `container_not_found` listing the containers the definition has.
 */
export function buildRegisterInput(
  from: TaskDefinition,
  container: string,
  image: string,
): RegisterTaskDefinitionCommandInput {
  const definition = structuredClone(from.registrable);
  const containers = (definition.containerDefinitions ?? []) as Record<string, unknown>[];
  const target = containers.find((c) => c.name === container);
  if (!target) {
    const names = containers.map((c) => String(c.name)).join(', ') || 'none';
    throw new CodedError(
      ErrorCodes.containerNotFound,
      `container "${container}" is not in task definition ${familyRevision(from)} (its containers: ${names})`,
      { details: { container, containers: containers.map((c) => c.name) } },
    );
  }
  target.image = image;
  const input = definition as unknown as RegisterTaskDefinitionCommandInput;
  if (from.tags.length > 0) input.tags = from.tags.map((t) => ({ key: t.key, value: t.value }));
  return input;
}
