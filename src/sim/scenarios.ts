/**
 * What can go wrong in the simulated world. A scenario applies to the NEXT deployment
 * (ECS and app behaviour) or, for the AWS-level ones, to every call while it is set.
 */
export const SCENARIOS = {
  healthy: 'Everything works: deployments roll out task by task and complete.',
  'circuit-breaker': 'New tasks fail to start; the circuit breaker fails the deployment and ECS rolls back by itself.',
  stuck: 'The new deployment never gets a task running and stays IN_PROGRESS.',
  'unhealthy-targets': 'The rollout completes but the new targets fail health checks (Target.ResponseCodeMismatch).',
  'error-logs': 'The new tasks run but log many ERROR lines.',
  throttling: 'AWS throttles some calls (every 3rd DescribeServices, every 4th DescribeTargetHealth); the SDK retries.',
  'server-errors': 'AWS answers bursts of 500/503 that the SDK retries.',
  slow: 'AWS answers every call after a delay.',
  'wrong-version': 'The app reports a git SHA other than the one deployed.',
  'leaky-errors': 'The app leaks a stack trace, an SQL error and an email address in its error responses.',
  'slow-app': 'The app answers after about 2.5 seconds.',
  'no-https-redirect': 'Plain HTTP is served (200) instead of redirected to HTTPS.',
} as const;

export type ScenarioName = keyof typeof SCENARIOS;

/** How the tasks of one deployment behave. */
export type DeploymentBehaviour = 'healthy' | 'fail-to-start' | 'stuck' | 'unhealthy-targets' | 'error-logs';

export function isScenario(name: string): name is ScenarioName {
  return Object.prototype.hasOwnProperty.call(SCENARIOS, name);
}

/**
 * Checks a scenario name.
 * @throws Error naming the known scenarios when `name` is not one.
 */
export function toScenario(name: string): ScenarioName {
  if (!isScenario(name)) {
    throw new Error(`unknown scenario "${name.slice(0, 40)}" (known: ${Object.keys(SCENARIOS).join(', ')})`);
  }
  return name;
}

/** The task behaviour a new deployment gets under a scenario. */
export function behaviourFor(scenario: ScenarioName): DeploymentBehaviour {
  switch (scenario) {
    case 'circuit-breaker':
      return 'fail-to-start';
    case 'stuck':
    case 'unhealthy-targets':
    case 'error-logs':
      return scenario;
    default:
      return 'healthy';
  }
}
