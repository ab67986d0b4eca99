/**
 * ECS service deployments, stopped tasks and deployment strategies: SDK shapes in, domain values out.
 * Pure functions, no I/O.
 */
import type {
  DeploymentConfiguration as SdkDeploymentConfiguration,
  DeploymentLifecycleHookDetail as SdkHookDetail,
  Service as SdkService,
  ServiceDeployment as SdkServiceDeployment,
  ServiceDeploymentBrief as SdkServiceDeploymentBrief,
  ServiceRevisionSummary as SdkRevisionSummary,
  Task as SdkTask,
} from '@aws-sdk/client-ecs';
import type {
  DeploymentStrategyInfo,
  DeploymentStrategyKind,
  LifecycleStage,
  ServiceDeployment,
  ServiceDeploymentSummary,
  ServiceRevisionRef,
  StoppedTask,
} from '../engine/service-deployment';

/** Task definitions of service revisions, by revision ARN (what DescribeServiceRevisions answered). */
export type RevisionTaskDefinitions = ReadonlyMap<string, string>;

const STRATEGIES = new Set<string>(['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY']);

function strategyOf(config: SdkDeploymentConfiguration | undefined): DeploymentStrategyKind {
  const kind = config?.strategy;
  return kind && STRATEGIES.has(kind) ? kind : 'ROLLING';
}

const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

export function toServiceDeploymentSummary(d: SdkServiceDeploymentBrief): ServiceDeploymentSummary {
  return {
    arn: d.serviceDeploymentArn ?? '',
    serviceArn: d.serviceArn ?? '',
    clusterArn: d.clusterArn ?? '',
    status: d.status ?? 'PENDING',
    statusReason: orNull(d.statusReason),
    targetServiceRevisionArn: orNull(d.targetServiceRevisionArn),
    createdAt: orNull(d.createdAt),
    startedAt: orNull(d.startedAt),
    finishedAt: orNull(d.finishedAt),
  };
}

function toRevision(r: SdkRevisionSummary, taskDefinitions: RevisionTaskDefinitions): ServiceRevisionRef {
  const arn = r.arn ?? '';
  return {
    arn,
    taskDefinition: taskDefinitions.get(arn) ?? null,
    requestedTaskCount: r.requestedTaskCount ?? 0,
    runningTaskCount: r.runningTaskCount ?? 0,
    pendingTaskCount: r.pendingTaskCount ?? 0,
    productionTrafficWeight: orNull(r.requestedProductionTrafficWeight),
    testTrafficWeight: orNull(r.requestedTestTrafficWeight),
  };
}

function toHook(h: SdkHookDetail): ServiceDeployment['hooks'][number] {
  return {
    hookId: h.hookId ?? '',
    targetType: h.targetType ?? null,
    targetArn: orNull(h.targetArn),
    status: h.status ?? null,
    expiresAt: orNull(h.expiresAt),
    timeoutAction: h.timeoutAction ?? null,
  };
}

/** The service revision ARNs a described deployment names (target, sources, rollback), for one DescribeServiceRevisions. */
export function revisionArnsOf(d: SdkServiceDeployment): string[] {
  const arns = [
    d.targetServiceRevision?.arn,
    ...(d.sourceServiceRevisions ?? []).map((r) => r.arn),
    d.rollback?.serviceRevisionArn,
  ];
  return arns.filter((a): a is string => typeof a === 'string' && a !== '');
}

/** Maps a described deployment; `taskDefinitions` resolves its revisions where they could be read. */
export function toServiceDeployment(
  d: SdkServiceDeployment,
  taskDefinitions: RevisionTaskDefinitions,
): ServiceDeployment {
  const target = d.targetServiceRevision ? toRevision(d.targetServiceRevision, taskDefinitions) : null;
  const sources = (d.sourceServiceRevisions ?? []).map((r) => toRevision(r, taskDefinitions));
  const { rollback, deploymentCircuitBreaker: breaker, alarms } = d;
  return {
    ...toServiceDeploymentSummary({ ...d, targetServiceRevisionArn: d.targetServiceRevision?.arn }),
    stoppedAt: orNull(d.stoppedAt),
    updatedAt: orNull(d.updatedAt),
    targetRevision: target,
    sourceRevisions: sources,
    targetTaskDefinition: target?.taskDefinition ?? null,
    sourceTaskDefinitions: sources.map((r) => r.taskDefinition).filter((t): t is string => t !== null),
    rollback: rollback
      ? {
          reason: orNull(rollback.reason),
          startedAt: orNull(rollback.startedAt),
          serviceRevisionArn: orNull(rollback.serviceRevisionArn),
          toTaskDefinition: rollback.serviceRevisionArn
            ? (taskDefinitions.get(rollback.serviceRevisionArn) ?? null)
            : null,
        }
      : null,
    circuitBreaker: breaker
      ? {
          status: breaker.status ?? 'DISABLED',
          failureCount: breaker.failureCount ?? 0,
          threshold: breaker.threshold ?? 0,
        }
      : null,
    alarms: alarms
      ? {
          status: alarms.status ?? 'DISABLED',
          alarmNames: alarms.alarmNames ?? [],
          triggeredAlarmNames: alarms.triggeredAlarmNames ?? [],
        }
      : null,
    lifecycleStage: d.lifecycleStage ?? null,
    strategy: strategyOf(d.deploymentConfiguration),
    bakeTimeInMinutes: orNull(d.deploymentConfiguration?.bakeTimeInMinutes),
    hooks: (d.lifecycleHookDetails ?? []).map(toHook),
  };
}

/** Maps a stopped task; null for one that is not stopped (or stopping) yet. */
export function toStoppedTask(t: SdkTask): StoppedTask | null {
  if (!t.taskArn) return null;
  return {
    taskArn: t.taskArn,
    taskDefinition: t.taskDefinitionArn ?? '',
    stoppedReason: t.stoppedReason ?? '',
    stoppedAt: t.stoppedAt ?? t.stoppingAt ?? t.executionStoppedAt ?? null,
    stopCode: orNull(t.stopCode),
  };
}

/** The service's strategy, hooks and blue/green routing as DescribeServices reports them. */
export function toDeploymentStrategy(s: SdkService): DeploymentStrategyInfo {
  const config = s.deploymentConfiguration;
  const { linearConfiguration: linear, canaryConfiguration: canary, alarms } = config ?? {};
  return {
    controller: s.deploymentController?.type ?? 'ECS',
    kind: strategyOf(config),
    bakeTimeInMinutes: orNull(config?.bakeTimeInMinutes),
    linear: linear
      ? { stepPercent: orNull(linear.stepPercent), stepBakeTimeInMinutes: orNull(linear.stepBakeTimeInMinutes) }
      : null,
    canary: canary
      ? { canaryPercent: orNull(canary.canaryPercent), canaryBakeTimeInMinutes: orNull(canary.canaryBakeTimeInMinutes) }
      : null,
    lifecycleHooks: (config?.lifecycleHooks ?? []).map((h) => ({
      targetType: h.targetType ?? 'AWS_LAMBDA',
      hookTargetArn: orNull(h.hookTargetArn),
      stages: (h.lifecycleStages ?? []) as LifecycleStage[],
      timeoutInMinutes: orNull(h.timeoutConfiguration?.timeoutInMinutes),
      timeoutAction: h.timeoutConfiguration?.action ?? null,
    })),
    loadBalancers: (s.loadBalancers ?? []).map((lb) => ({
      targetGroupArn: orNull(lb.targetGroupArn),
      containerName: orNull(lb.containerName),
      containerPort: orNull(lb.containerPort),
      alternateTargetGroupArn: orNull(lb.advancedConfiguration?.alternateTargetGroupArn),
      productionListenerRule: orNull(lb.advancedConfiguration?.productionListenerRule),
      testListenerRule: orNull(lb.advancedConfiguration?.testListenerRule),
    })),
    alarms: alarms
      ? { enable: alarms.enable === true, rollback: alarms.rollback === true, alarmNames: alarms.alarmNames ?? [] }
      : null,
  };
}
