/**
 * What can go wrong in the simulated world. A scenario applies to the NEXT deployment
 * (ECS and app behaviour) or, for the AWS-level ones, to every call while it is set.
 */
export const SCENARIOS = {
  healthy: 'Everything works: deployments roll out task by task and complete.',
  'circuit-breaker': 'New tasks fail to start; the circuit breaker fails the deployment and ECS rolls back by itself.',
  stuck:
    'The new tasks cannot pull their image (CannotPullContainerError): ECS says it is unable to consistently start tasks; the service has no circuit breaker, so the deployment stays IN_PROGRESS.',
  'missing-secret':
    'The new tasks cannot fetch a secret (ResourceInitializationError: the Secrets Manager secret does not exist); no circuit breaker, so the deployment stays IN_PROGRESS.',
  'no-capacity':
    'ECS cannot place the new tasks (no container instance met all of its requirements); the deployment stays IN_PROGRESS.',
  'eventual-consistency':
    'Reads lag writes: DescribeServices and the service-deployment reads answer with the state before a write for a few seconds (3 s by default).',
  'alarm-rollback':
    'The release trips the CloudWatch alarm <key>-5xx a few steps into the rollout and ECS rolls back by itself (ROLLBACK_SUCCESSFUL).',
  'unhealthy-targets': 'The rollout completes but the new targets fail health checks (Target.ResponseCodeMismatch).',
  'error-logs': 'The new tasks run but log many ERROR lines.',
  throttling: 'AWS throttles some calls (every 3rd DescribeServices, every 4th DescribeTargetHealth); the SDK retries.',
  'server-errors': 'AWS answers bursts of 500/503 that the SDK retries.',
  outage:
    'After each UpdateService, DescribeServices and DescribeTargetHealth answer 500 for 30 s of simulated time (knob outageMs) while the rollout goes on healthily; then they answer again.',
  slow: 'AWS answers every call after a delay.',
  'wrong-version': 'The app reports a git SHA other than the one deployed.',
  'leaky-errors': 'The app leaks a stack trace, an SQL error and an email address in its error responses.',
  'slow-app': 'The app answers after about 2.5 seconds.',
  'no-https-redirect': 'Plain HTTP is served (200) instead of redirected to HTTPS.',
  'blue-green':
    'BLUE_GREEN service: green takes test traffic, a PAUSE hook waits at POST_TEST_TRAFFIC_SHIFT, production shifts at once, then a bake.',
  'blue-green-test-fail':
    'BLUE_GREEN service whose green fails on test traffic (500 on readiness, wrong version) while production stays on blue.',
  'blue-green-bake-fail':
    'BLUE_GREEN service whose green goes bad during the bake (ERROR logs, alarm <key>-5xx in ALARM).',
  'blue-green-hook-timeout': 'BLUE_GREEN service whose PAUSE hook nobody answers: its timeout action ROLLBACK applies.',
  linear:
    'LINEAR service: production traffic moves to green in 25% steps, with a PAUSE hook at POST_TEST_TRAFFIC_SHIFT.',
  canary:
    'CANARY service: 10% of production traffic goes to green for a canary bake, then the rest, with a PAUSE hook at POST_TEST_TRAFFIC_SHIFT.',
} as const;

export type ScenarioName = keyof typeof SCENARIOS;

/** How the tasks of one deployment behave. */
export type DeploymentBehaviour =
  | 'healthy'
  | 'fail-to-start'
  | 'stuck'
  | 'missing-secret'
  | 'no-placement'
  | 'unhealthy-targets'
  | 'error-logs'
  | 'alarm'
  | 'bad-on-test'
  | 'bad-in-bake';

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

/** Behaviours whose new tasks never start: each stops with ECS's reason. */
export function cannotStart(behaviour: DeploymentBehaviour | undefined): boolean {
  return behaviour === 'stuck' || behaviour === 'missing-secret';
}

/** The task behaviour a new deployment gets under a scenario, where it is not `healthy`. */
const BEHAVIOURS: Partial<Record<ScenarioName, DeploymentBehaviour>> = {
  'circuit-breaker': 'fail-to-start',
  'no-capacity': 'no-placement',
  'alarm-rollback': 'alarm',
  'blue-green-test-fail': 'bad-on-test',
  'blue-green-bake-fail': 'bad-in-bake',
  stuck: 'stuck',
  'missing-secret': 'missing-secret',
  'unhealthy-targets': 'unhealthy-targets',
  'error-logs': 'error-logs',
};

/** The task behaviour a new deployment gets under a scenario. */
export function behaviourFor(scenario: ScenarioName): DeploymentBehaviour {
  return BEHAVIOURS[scenario] ?? 'healthy';
}
