/**
 * The simulated world's service deployments, service revisions and deployment strategies:
 * the data behind ListServiceDeployments, DescribeServiceDeployments and the blue/green walk.
 */

export type ServiceDeploymentStatus =
  | 'PENDING'
  | 'IN_PROGRESS'
  | 'SUCCESSFUL'
  | 'STOPPED'
  | 'STOP_REQUESTED'
  | 'ROLLBACK_REQUESTED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_SUCCESSFUL'
  | 'ROLLBACK_FAILED';

export type MonitorStatus = 'DISABLED' | 'MONITORING' | 'MONITORING_COMPLETE' | 'TRIGGERED';

export const LIFECYCLE_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export type Strategy = 'ROLLING' | 'BLUE_GREEN' | 'LINEAR' | 'CANARY';
export type HookAction = 'CONTINUE' | 'ROLLBACK';

export interface SimLifecycleHook {
  targetType: 'PAUSE' | 'AWS_LAMBDA';
  hookTargetArn?: string;
  roleArn?: string;
  lifecycleStages: LifecycleStage[];
  timeoutConfiguration: { timeoutInMinutes: number; action: HookAction };
}

export interface SimStrategyConfig {
  strategy: Strategy;
  bakeTimeInMinutes: number;
  lifecycleHooks: SimLifecycleHook[];
  linearConfiguration?: { stepPercent: number; stepBakeTimeInMinutes: number };
  canaryConfiguration?: { canaryPercent: number; canaryBakeTimeInMinutes: number };
}

export interface SimBlueGreenWiring {
  alternateTargetGroupArn: string;
  productionListenerRule: string;
  testListenerRule: string;
  roleArn: string;
  /** The target group the production listener rule forwards to now (blue's). */
  productionTargetGroupArn: string;
}

/** A service revision: in the simulator, one per task definition a service was updated to. */
export interface SimRevision {
  arn: string;
  taskDefinition: string;
  createdAt: Date;
}

export interface SimHookDetail {
  hookId: string;
  targetType: 'PAUSE' | 'AWS_LAMBDA';
  targetArn?: string;
  stage: LifecycleStage;
  status: 'AWAITING_ACTION' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  expiresAt: Date;
  timeoutAction: HookAction;
}

/** One service deployment record (ListServiceDeployments / DescribeServiceDeployments). */
export interface SimServiceDeployment {
  id: string;
  arn: string;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  stoppedAt?: Date;
  updatedAt: Date;
  source: SimRevision[];
  target: SimRevision;
  status: ServiceDeploymentStatus;
  statusReason?: string;
  /** The `ecs-svc/…` deployment of the legacy `deployments[]` array that runs the target revision. */
  deploymentId: string;
  /** The legacy deployment that runs the source revision again during a rollback. */
  rollbackDeploymentId?: string;
  rollback?: { reason: string; startedAt: Date; serviceRevisionArn: string };
  circuitBreaker: { status: MonitorStatus; failureCount: number; threshold: number };
  alarms: { status: MonitorStatus; alarmNames: string[]; triggeredAlarmNames: string[] };
  /** The deployment configuration in force when the deployment was created. */
  config: SimStrategyConfig & { circuitBreaker: { enable: boolean; rollback: boolean } };
  lifecycleStage?: LifecycleStage;
  /** Simulated-clock ms when the current stage (or traffic step) began. */
  stageSince: number;
  /** Steps spent in the current stage (every stage lasts at least one step, so readers can see it). */
  stageSteps: number;
  hooks: SimHookDetail[];
  /** Blue/green family: percent of production and test traffic on the target revision (green). */
  traffic?: { production: number; test: number };
}
