/**
 * What a scenario says about the service itself: its deployment strategy, bake time, lifecycle
 * hooks and circuit breaker. Applied to every service when the scenario is set, so that a client
 * reading the service before it deploys sees the configuration the deployment will follow.
 */
import type { SimLifecycleHook, SimStrategyConfig } from './deployment-model';
import type { SimService } from './model';
import type { ScenarioName } from './scenarios';

const BLUE_GREEN_FAMILY: ReadonlySet<ScenarioName> = new Set([
  'blue-green',
  'blue-green-test-fail',
  'blue-green-bake-fail',
  'blue-green-hook-timeout',
  'linear',
  'canary',
]);

export function isBlueGreenScenario(scenario: ScenarioName): boolean {
  return BLUE_GREEN_FAMILY.has(scenario);
}

/** A PAUSE hook after test traffic moved to green: someone (or ecs-chatops) decides whether production follows. */
function pauseHook(action: 'ROLLBACK' | 'CONTINUE', timeoutInMinutes: number): SimLifecycleHook {
  return {
    targetType: 'PAUSE',
    lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
    timeoutConfiguration: { timeoutInMinutes, action },
  };
}

export function strategyFor(scenario: ScenarioName): SimStrategyConfig {
  if (!isBlueGreenScenario(scenario)) return { strategy: 'ROLLING', bakeTimeInMinutes: 0, lifecycleHooks: [] };
  const hooks = [pauseHook('ROLLBACK', scenario === 'blue-green-hook-timeout' ? 1 : 30)];
  if (scenario === 'linear') {
    return {
      strategy: 'LINEAR',
      bakeTimeInMinutes: 1,
      lifecycleHooks: hooks,
      linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 1 },
    };
  }
  if (scenario === 'canary') {
    return {
      strategy: 'CANARY',
      bakeTimeInMinutes: 1,
      lifecycleHooks: hooks,
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 1 },
    };
  }
  return { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1, lifecycleHooks: hooks };
}

/** Sets each service's deployment configuration to what the scenario models. */
export function configureServices(services: SimService[], scenario: ScenarioName): void {
  for (const service of services) {
    service.strategy = strategyFor(scenario);
    // A stuck rollout stays stuck only on a service without the circuit breaker.
    service.circuitBreaker =
      scenario === 'stuck' || scenario === 'missing-secret' || scenario === 'no-capacity'
        ? { enable: false, rollback: false }
        : { enable: true, rollback: true };
  }
}
