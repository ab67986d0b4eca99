/** Blue/green, linear and canary values the engine reports: where the traffic stands, and a pause. */
import type { DeploymentStrategyKind, HookAction, LifecycleStage, ServiceDeploymentStatus } from './service-deployment';

/** Where a blue/green, linear or canary deployment stands (ECS's service-deployment record). */
export interface TrafficProgress {
  strategy: DeploymentStrategyKind;
  stage: LifecycleStage | null;
  status: ServiceDeploymentStatus;
  /** Percent of production traffic on green (the new release); null when ECS does not say. */
  production: number | null;
  test: number | null;
  /** Bake time left (ms) while production is on green and blue still stands. */
  bakeLeftMs: number | null;
}

/** A deployment waiting at a PAUSE hook for someone's CONTINUE or ROLLBACK. */
export interface PauseInfo {
  serviceDeploymentArn: string;
  hookId: string;
  stage: LifecycleStage | null;
  expiresAt: string | null;
  /** What ECS does by itself at expiresAt. */
  timeoutAction: HookAction | null;
  /** The checks on test traffic: passed, and a one-line account. */
  passed: boolean;
  checks: string;
  /** blueGreen.autoContinue: the pass continues by itself. */
  autoContinue: boolean;
}
